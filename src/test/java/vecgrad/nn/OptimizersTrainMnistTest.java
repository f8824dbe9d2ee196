package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.data.Dataset;
import vecgrad.optim.Adagrad;
import vecgrad.optim.Adam;
import vecgrad.optim.AdamW;
import vecgrad.optim.Adamax;
import vecgrad.optim.Nadam;
import vecgrad.optim.Optimizer;
import vecgrad.optim.RMSprop;
import vecgrad.optim.SGD;

/**
 * Every optimizer trains the report's network (784-256-128-64-10, ReLU, softmax) on the full MNIST
 * training set to at least 0.97 test accuracy, batch 128, in 3 to 5 epochs (34 epochs in all: 1.5 to
 * 2.5 min on two shared cores). Keras' default learning rates where they reach it that fast; SGD and Adagrad's defaults (0.01 without momentum, 1e-3) are
 * far slower on this network, so they get momentum or a larger rate. Long: run by {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class OptimizersTrainMnistTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of(SGD.builder().learningRate(0.05).momentum(0.9).nesterov(true).build(), 5),
                Arguments.of(new Adam(), 5),
                Arguments.of(Adam.builder().amsgrad(true).build(), 5),
                Arguments.of(new AdamW(), 5),
                Arguments.of(new RMSprop(), 3),
                Arguments.of(Adagrad.builder().learningRate(0.05).build(), 4),
                Arguments.of(new Nadam(), 3),
                Arguments.of(Adamax.builder().learningRate(2e-3).build(), 4));
    }

    @ParameterizedTest(name = "{0}, {1} epochs")
    @MethodSource("optimizers")
    void trainsTheReportsNetworkToAtLeast97Percent(Optimizer optimizer, int epochs) {
        Dataset train = MnistFixture.mnist().train();
        Dataset test = MnistFixture.mnist().test();
        Sequential model = SequentialTest.reportNetwork(42);
        model.compile(optimizer, Loss.categoricalCrossentropy(), Metric.ACCURACY);
        model.fit(train, FitOptions.defaults().epochs(epochs).batchSize(128).seed(7).verbose(0));
        double accuracy = model.evaluate(test).accuracy();
        System.out.printf("%s, %d epochs: test accuracy %.4f%n", optimizer, epochs, accuracy);
        assertThat(accuracy).as("test accuracy of %s after %d epochs", optimizer, epochs).isGreaterThanOrEqualTo(0.97);
    }
}
