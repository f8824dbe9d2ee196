package vecgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.BatchSource;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.kernel.WarmUp;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * {@link Sequential}'s fit, evaluate and predict over batches: the data checks, the epoch and step
 * loop, the metrics, the sample and class weights, the callbacks' monitors. One instance serves one
 * call; the model's entry points have checked that it is compiled.
 */
final class FitLoop {

    /*
     * fit() is a loop over the public pieces a custom loop would use: Batches for the (seeded) batch
     * order, call() and Loss.call() under a GradientTape, tape.gradient(), optimizer.applyGradients().
     * Nothing else touches the weights, which is why a custom loop with the same seeds matches it bit
     * for bit. Sample or class weights only switch the loss to Loss.call(y, p, weights) with the batch's
     * weights; without them the unweighted call is made, exactly as before weights existed. Metrics
     * read the predictions after the step and never touch the tape. Each step runs in a BufferPool
     * scope (one pool per batch size), so after the first step the activations and gradients reuse
     * their buffers; pooling changes no result.
     *
     * The loss, the optimizer and the metrics are read from the model where they are used, not kept:
     * a callback may compile the model again during fit.
     */

    private static final int EVAL_BATCH = InferenceChunks.BATCH;
    /** The multiply-adds from which fit waits for the automatic warm-up (see largeWork). */
    private static final double LARGE_WORK = 1e9;

    private final Sequential model;

    FitLoop(Sequential model) {
        this.model = model;
    }

    // ---------------------------------------------------------------- fit

    /** {@link Sequential#fit(Tensor, Tensor, FitOptions)} after its options and compile checks. */
    History fit(Tensor x, Tensor y, FitOptions options) {
        Tensor yt = checkData("fit", x, y);
        float[] weights = checkWeights("fit", options, x.dim(0));
        float[] trainWeights = weights;
        float[] valWeights = null;
        Tensor trainX = x;
        Tensor trainY = yt;
        Tensor valX = options.validationX();
        Tensor valY = options.validationY();
        EvalData validation = null;
        if (valX != null) {
            valY = checkData("fit validationData", valX, valY);
        } else if (options.validationDataset() != null) {
            checkDataset("fit validationData", options.validationDataset());
            validation = inChunks(options.validationDataset(), null);
        } else if (options.validationSource() != null) {
            validation = new FromSource(checkValidationSource(options.validationSource()), true);
        } else if (options.validationSplit() > 0) {
            int n = x.dim(0);
            int splitAt = (int) Math.floor(n * (1.0 - options.validationSplit()));
            if (splitAt == 0 || splitAt == n) {
                throw new IllegalArgumentException("fit: " + n + " samples cannot be split into training and validation"
                        + " sets with validationSplit=" + options.validationSplit());
            }
            trainX = rows(x, 0, splitAt);
            trainY = rows(yt, 0, splitAt);
            valX = rows(x, splitAt, n);
            valY = rows(yt, splitAt, n);
            if (weights != null) {
                // Keras splits (x, y, sample_weight) together (trainer.py, train_validation_split).
                trainWeights = Arrays.copyOfRange(weights, 0, splitAt);
                valWeights = Arrays.copyOfRange(weights, splitAt, n);
            }
        }
        if (weights != null || options.classWeights() != null) {
            requireWeightedLoss("fit", Batches.inOrder(trainX, trainY, 1).iterator().next());
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainX, trainY, options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainX, trainY, options.batchSize());
        if (valX != null) {
            validation = inChunks(valX, valY, valWeights);
        }
        return train(new InMemory(batches, trainWeights), false, validation, options);
    }

    /** {@link Sequential#fit(Dataset, FitOptions)} after its null and compile checks. */
    History fit(Dataset train, FitOptions options) {
        checkDataset("fit", train);
        float[] weights = checkWeights("fit", options, train.size());
        float[] trainWeights = weights;
        float[] valWeights = null;
        Dataset trainPart = train;
        EvalData validation = null;
        int outputs = model.outputs();
        if (options.validationX() != null) {
            Tensor valY = checkData("fit validationData", options.validationX(), options.validationY());
            validation = inChunks(options.validationX(), valY, null);
        } else if (options.validationDataset() != null) {
            checkDataset("fit validationData", options.validationDataset());
            validation = inChunks(options.validationDataset(), null);
        } else if (options.validationSource() != null) {
            validation = new FromSource(checkValidationSource(options.validationSource()), true);
        } else if (options.validationSplit() > 0) {
            trainPart = train.trainingPart(options.validationSplit());
            if (weights != null) {
                trainWeights = Arrays.copyOfRange(weights, 0, trainPart.size());
                valWeights = Arrays.copyOfRange(weights, trainPart.size(), weights.length);
            }
            validation = inChunks(train.validationPart(options.validationSplit()), valWeights);
        }
        if (weights != null || options.classWeights() != null) {
            requireWeightedLoss("fit", Batches.inOrder(trainPart, outputs, 1).iterator().next());
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainPart, outputs, options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainPart, outputs, options.batchSize());
        return train(new InMemory(batches, trainWeights), false, validation, options);
    }

    /** {@link Sequential#fit(BatchSource, FitOptions)} after its null and compile checks. */
    History fit(BatchSource train, FitOptions options) {
        if (train.batches() == BatchSource.INFINITE && options.stepsPerEpoch() == 0) {
            throw new IllegalArgumentException("fit: the batch source is endless (BatchSource.INFINITE): give"
                    + " FitOptions.stepsPerEpoch, as Keras needs steps_per_epoch for an infinite generator");
        }
        if (train.batches() < 1 && train.batches() != BatchSource.UNKNOWN && train.batches() != BatchSource.INFINITE) {
            throw new IllegalArgumentException("fit: expected a batch source of >= 1 batches, UNKNOWN or INFINITE, got "
                    + train.batches());
        }
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("fit: validationSplit cannot split a batch source (Keras refuses it for"
                    + " generators too): pass validationData");
        }
        if (options.sampleWeights() != null) {
            throw new IllegalArgumentException("fit: sample weights of a batch source come with its batches"
                    + " (BatchSource.Batch.sampleWeights), not from FitOptions.sampleWeights");
        }
        checkClassWeights("fit", options);
        EvalData validation = null;
        if (options.validationX() != null) {
            Tensor valY = checkData("fit validationData", options.validationX(), options.validationY());
            validation = inChunks(options.validationX(), valY, null);
        } else if (options.validationDataset() != null) {
            checkDataset("fit validationData", options.validationDataset());
            validation = inChunks(options.validationDataset(), null);
        } else if (options.validationSource() != null) {
            validation = new FromSource(checkValidationSource(options.validationSource()), true);
        }
        return train(train, true, validation, options);
    }

    /**
     * Whether a fit is worth waiting for the warm-up: about 10^9 multiply-adds or more (parameters x
     * samples x epochs; a batch source's batches counted as 32 samples, an unknown count as large). The
     * report's MNIST network is about 6·10^10, README's small examples under 10^6.
     */
    static boolean largeWork(long parameters, int steps, int batchSize, int epochs) {
        return steps < 0 || (double) parameters * steps * batchSize * epochs >= LARGE_WORK;
    }

    private static BatchSource checkValidationSource(BatchSource source) {
        if (source.batches() == BatchSource.INFINITE) {
            throw new IllegalArgumentException("fit: the validation batch source is endless (BatchSource.INFINITE); each"
                    + " validation is one whole pass, so it must end");
        }
        return source;
    }

    /**
     * The loop of every fit, over a batch source; {@code checkBatches} says whether its batches still
     * need checking against the model (those of a user's source); {@code validation} may be null.
     */
    private History train(BatchSource source, boolean checkBatches, EvalData validation, FitOptions options) {
        Set<String> logged = loggedNames(validation != null);
        checkMonitors(options.callbacks(), logged, validation != null);
        Map<Integer, Double> classWeights = options.classWeights();
        List<Metric> plain = fresh(model.compiledMetrics());
        List<Metric> withWeights = fresh(model.compiledWeightedMetrics());
        List<Variable> trainable = model.trainableVariables();
        List<Callback> callbacks = options.callbacks();
        int stepsPerEpoch = options.stepsPerEpoch();
        int known = source.batches() > 0 ? source.batches() : -1;
        int steps = stepsPerEpoch > 0 ? stepsPerEpoch : known;
        History history = new History();
        ProgressBar progress = new ProgressBar(options.output(), options.verbose(), options.epochs(), steps);
        TrainingParams params = new TrainingParams(options.epochs(), steps, options.verbose(),
                source instanceof InMemory ? options.batchSize() : -1);
        PoolPerBatchSize pools = new PoolPerBatchSize();
        // Keras 3's EpochIterator (keras/src/trainers/epoch_iterator.py): without steps per epoch, a new
        // pass each epoch; with them, one pass carried on across epochs, renewed once a pass of known
        // length is used up; an epoch never spans two passes.
        Iterator<BatchSource.Batch> pass = null;
        int passSeen = 0;
        model.beginTraining("fit");
        try {
            if (largeWork(model.countParams(), steps, source instanceof InMemory ? options.batchSize() : 32, options.epochs())) {
                // Computing beside a running warm-up would share the cores with it while the kernels
                // still run uncompiled; its remaining fraction of a second is better waited for.
                WarmUp.awaitAutomatic();
            }
            model.clearStopRequest();
            for (Callback cb : callbacks) {
                cb.setParams(params);
                cb.setModel(model);
            }
            for (Callback cb : callbacks) {
                cb.onTrainBegin(model);
            }
            for (int epoch = 1; epoch <= options.epochs() && !model.stopRequested(); epoch++) {
                long start = System.nanoTime();
                if (stepsPerEpoch == 0 || pass == null) {
                    close(pass);
                    pass = source.iterator();
                    passSeen = 0;
                }
                progress.epochBegin(epoch);
                for (Callback cb : callbacks) {
                    cb.onEpochBegin(epoch);
                }
                for (Metric m : concat(plain, withWeights)) {
                    m.reset();
                }
                double lossSum = 0;
                long seen = 0;
                int number = 0;
                while (stepsPerEpoch == 0 ? pass.hasNext() : number < stepsPerEpoch) {
                    if ((known > 0 && passSeen >= known) || !pass.hasNext()) {
                        progress.message("Warning: your input ran out of data at epoch " + epoch + ", step " + (number + 1)
                                + " of " + stepsPerEpoch + "; the epoch ends here (Keras: make sure the source can"
                                + " generate at least stepsPerEpoch * epochs batches)");
                        close(pass);
                        pass = null;
                        break;
                    }
                    BatchSource.Batch batch = pass.next();
                    number++;
                    passSeen++;
                    Tensor x = batch.x();
                    Tensor y = checkBatches ? checkBatch(x, batch.y(), epoch, number) : batch.y();
                    int m = batch.size();
                    for (Callback cb : callbacks) {
                        cb.onTrainBatchBegin(number);
                    }
                    Tensor sampleWeight = batch.sampleWeights() != null ? batch.sampleWeights()
                            : classWeights != null ? classWeightsOf(y, classWeights) : null;
                    float stepLoss;
                    Tensor prediction;
                    try (BufferPool.Scope step = pools.forSize(m).enter(); GradientTape tape = new GradientTape()) {
                        prediction = model.call(x, true);
                        // Without weights, exactly the unweighted call: the report's training stays bit for bit.
                        Tensor lossValue = sampleWeight == null ? model.loss().call(y, prediction)
                                : weightedLoss("fit", y, prediction, sampleWeight);
                        // Keras 3's compute_loss: the compiled loss plus the regularization penalties.
                        lossValue = Sequential.plusPenalties(lossValue, model.losses());
                        stepLoss = lossValue.item();
                        // A non-finite loss would make every gradient non-finite: skip the update, so the
                        // weights stay those of the last good step.
                        if (Float.isFinite(stepLoss)) {
                            List<Tensor> grads = tape.gradient(lossValue, trainable);
                            model.optimizer().applyGradients(grads, trainable);
                        }
                    } catch (NonFiniteException e) {
                        NonFiniteException located = e.within(where(epoch, number));
                        progress.message("Error: " + located.getMessage());
                        throw located;
                    }
                    update(plain, withWeights, y, prediction, sampleWeight);
                    // Keras 3's loss tracker is a Mean weighted by the batch size (trainer.py, compute_loss).
                    lossSum += (double) stepLoss * m;
                    seen += m;
                    if (!Float.isFinite(stepLoss)) {
                        progress.message("Warning: the loss became " + stepLoss + " at epoch " + epoch + ", step "
                                + number + "; the step was not applied");
                    }
                    progress.stepTaken(number);
                    // The running logs are made only when someone reads them: no map per step otherwise.
                    if (progress.showsSteps() || !callbacks.isEmpty()) {
                        Map<String, Double> running = results(lossSum / seen, plain, withWeights);
                        progress.step(number, running);
                        if (!callbacks.isEmpty()) {
                            BatchLogs logs = new BatchLogs(epoch, number, m, running);
                            for (Callback cb : callbacks) {
                                cb.onTrainBatchEnd(number, logs);
                            }
                        }
                    }
                    // Keras 3 (keras/src/backend/tensorflow/trainer.py, fit): stop_training is read after
                    // every batch; the epoch then ends as usual (validation, on_epoch_end).
                    if (model.stopRequested()) {
                        break;
                    }
                    if (!Float.isFinite(stepLoss)) {
                        throw NonFiniteException.scalar(where(epoch, number), "the loss", stepLoss);
                    }
                }
                if (stepsPerEpoch > 0 && known > 0 && passSeen >= known) {
                    close(pass);
                    pass = null;
                }
                if (seen == 0) {
                    throw new IllegalStateException("fit: the batch source gave no batch in epoch " + epoch);
                }
                Map<String, Double> values = results(lossSum / seen, plain, withWeights);
                if (validation != null) {
                    Evaluation ev = evaluate(validation, callbacks, epoch);
                    ev.values().forEach((name, value) -> values.put("val_" + name, value));
                }
                EpochLogs logs = new EpochLogs(epoch, values, (System.nanoTime() - start) / 1e9);
                history.add(logs);
                for (Callback cb : callbacks) {
                    cb.onEpochEnd(logs);
                }
                // After the callbacks, as Keras' ProgbarLogger comes last in the CallbackList
                // (callback_list.py): it prints what they added, e.g. learning_rate.
                progress.epochEnd(logs);
            }
            for (Callback cb : callbacks) {
                cb.onTrainEnd(history);
            }
        } finally {
            close(pass);
            model.endTraining();
        }
        return history;
    }

    /** Closes a pass that holds resources (an {@link AutoCloseable} iterator, such as BatchSource.idx's). */
    private static void close(Iterator<BatchSource.Batch> pass) {
        if (pass instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("fit: could not close a pass over the batch source", e);
            }
        }
    }

    /** The weighted loss; a loss without sample weights is refused with what to do. */
    private Tensor weightedLoss(String method, Tensor y, Tensor prediction, Tensor sampleWeight) {
        try {
            return model.loss().call(y, prediction, sampleWeight);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(method + ": sample or class weights were given, but the loss "
                    + model.loss().name() + " does not take sample weights (" + e.getMessage() + ")", e);
        }
    }

    /** Checks a batch of a user's source against the model; returns y as the loss takes it. */
    private Tensor checkBatch(Tensor x, Tensor y, int epoch, int number) {
        String where = "fit (batch source, epoch " + epoch + ", step " + number + ")";
        return checkData(where, x, y);
    }

    private static String where(int epoch, int step) {
        return "epoch " + epoch + ", step " + step + ": ";
    }

    // ---------------------------------------------------------------- metrics

    /** Updates the unweighted metrics, then the weighted ones with {@code sampleWeight}, on a batch. */
    private static void update(List<Metric> plain, List<Metric> withWeights, Tensor y, Tensor prediction,
            Tensor sampleWeight) {
        for (Metric metric : plain) {
            metric.update(y, prediction);
        }
        for (Metric metric : withWeights) {
            metric.update(y, prediction, sampleWeight);
        }
    }

    /** {@code loss} then every metric's result, in compile order. */
    private static Map<String, Double> results(double loss, List<Metric> plain, List<Metric> withWeights) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss);
        for (Metric m : concat(plain, withWeights)) {
            values.put(m.name(), m.result());
        }
        return values;
    }

    private static List<Metric> fresh(List<Metric> prototypes) {
        List<Metric> copies = new ArrayList<>(prototypes.size());
        for (Metric m : prototypes) {
            copies.add(m.fresh());
        }
        return copies;
    }

    private static List<Metric> concat(List<Metric> a, List<Metric> b) {
        List<Metric> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The names fit logs each epoch: loss and every metric, and their val_ twins with validation. */
    private Set<String> loggedNames(boolean validated) {
        Set<String> names = new LinkedHashSet<>();
        names.add("loss");
        for (Metric m : concat(model.compiledMetrics(), model.compiledWeightedMetrics())) {
            names.add(m.name());
        }
        if (validated) {
            for (String name : List.copyOf(names)) {
                names.add("val_" + name);
            }
        }
        return names;
    }

    /**
     * A callback that monitors a name fit will never log would fail at the end of the first epoch, or
     * never save: say so before training. Then a monitor in mode auto learns its metric's direction.
     */
    private void checkMonitors(List<Callback> callbacks, Set<String> logged, boolean validated) {
        // Names callbacks add to the epoch logs (Keras 3: ReduceLROnPlateau and LearningRateScheduler add
        // learning_rate in on_epoch_end); a checkpoint's file name may use them.
        Set<String> epochNames = new LinkedHashSet<>(logged);
        for (Callback cb : callbacks) {
            if (cb instanceof ReduceLROnPlateau || cb instanceof LearningRateScheduler) {
                epochNames.add("learning_rate");
            }
        }
        Set<String> batchNames = new LinkedHashSet<>();
        for (String name : logged) {
            if (!name.startsWith("val_")) {
                batchNames.add(name);
            }
        }
        for (Callback cb : callbacks) {
            if (cb instanceof ModelCheckpoint mc) {
                mc.checkNames(epochNames, batchNames);
            }
            String monitor = cb instanceof EarlyStopping es ? es.monitor()
                    : cb instanceof ModelCheckpoint mc && mc.saveBestOnly() ? mc.monitor()
                    : cb instanceof ReduceLROnPlateau r ? r.monitor() : null;
            if (monitor == null) {
                continue;
            }
            String who = cb.getClass().getSimpleName();
            if (!logged.contains(monitor)) {
                if (monitor.startsWith("val_") && !validated) {
                    throw new IllegalArgumentException("fit: " + who + " monitors '" + monitor + "', but there is no"
                            + " validation data: pass validationData or a validationSplit > 0");
                }
                throw new IllegalArgumentException("fit: " + who + " monitors '" + monitor + "', which fit will never"
                        + " log: it logs " + String.join(", ", logged) + " (compile the metric to monitor it)");
            }
            String base = monitor.startsWith("val_") && logged.contains(monitor.substring(4)) ? monitor.substring(4) : monitor;
            Metric.Direction direction = Metric.Direction.DOWN; // the loss
            for (Metric m : concat(model.compiledMetrics(), model.compiledWeightedMetrics())) {
                if (m.name().equals(base)) {
                    direction = m.direction();
                }
            }
            if (cb instanceof EarlyStopping es) {
                es.resolve(direction);
            } else if (cb instanceof ReduceLROnPlateau r) {
                r.resolve(direction);
            } else {
                ((ModelCheckpoint) cb).resolve(direction);
            }
        }
    }

    // ---------------------------------------------------------------- evaluate / predict

    /*
     * In-memory data (tensors, datasets) is evaluated in chunks: the model runs once on a chunk of up
     * to InferenceChunks.rows(model) rows, then the loss, the metrics and the callbacks' batch hooks
     * take each 32-row batch of the chunk's outputs in order, exactly as if the model had run on that
     * batch alone (a copy of its rows, with the logits a softmax or sigmoid output carries for the
     * loss). InferenceChunks says why that gives the same bits and when a model keeps 32-row calls.
     * A batch's begin hook runs before its outputs are read; the outputs of a chunk's later batches
     * are computed with the first one's (Callback says so). A user's batch source is evaluated batch
     * by batch as it gives them.
     */

    /** What an evaluation runs over. */
    private sealed interface EvalData permits FromSource, InChunks {
    }

    /** A user's batches, as given; {@code check} when they still need checking against the model. */
    private record FromSource(BatchSource source, boolean check) implements EvalData {
    }

    /**
     * In-memory rows in order, in chunks of {@code chunkRows} (a multiple of 32; the last chunk may be
     * smaller): tensors {@code x} and {@code y} (their rows are copied into the chunk pool), or a
     * dataset's {@code chunks} (x and y null), with each row's sample weight or null, and the buffer
     * pools of the evaluation.
     */
    private record InChunks(Tensor x, Tensor y, Batches chunks, int chunkRows, float[] rowWeights, EvalPools pools)
            implements EvalData {
        int rows() {
            return x != null ? x.dim(0) : chunks.samples();
        }
    }

    /**
     * The buffer pools of an evaluation or a prediction: one for the chunks' forward passes, one for
     * their 32-row batches (each a pool per size). Fit keeps its validation's from one epoch to the
     * next; evaluate and predict keep theirs in the model ({@link Sequential#takeEvalPools}), so a
     * repeated call allocates no arrays once they are warm.
     */
    static final class EvalPools {
        private final PoolPerBatchSize chunks = new PoolPerBatchSize();
        private final PoolPerBatchSize batches = new PoolPerBatchSize();
    }

    private InChunks inChunks(Tensor x, Tensor y, float[] rowWeights, EvalPools pools) {
        return new InChunks(x, y, null, InferenceChunks.rows(model), rowWeights, pools);
    }

    private InChunks inChunks(Dataset data, float[] rowWeights, EvalPools pools) {
        int rows = InferenceChunks.rows(model);
        return new InChunks(null, null, Batches.inOrder(data, model.outputs(), rows), rows, rowWeights, pools);
    }

    /** Validation data of fit, with its own pools. */
    private InChunks inChunks(Tensor x, Tensor y, float[] rowWeights) {
        return inChunks(x, y, rowWeights, new EvalPools());
    }

    /** Validation data of fit, with its own pools. */
    private InChunks inChunks(Dataset data, float[] rowWeights) {
        return inChunks(data, rowWeights, new EvalPools());
    }

    /** {@link Sequential#evaluate(Tensor, Tensor)} after its compile check. */
    Evaluation evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, List.of());
    }

    /** {@link Sequential#evaluate(Tensor, Tensor, Callback...)} after its compile check. */
    Evaluation evaluate(Tensor x, Tensor y, List<Callback> callbacks) {
        Tensor yt = checkData("evaluate", x, y);
        if (!callbacks.isEmpty()) {
            TrainingParams params = new TrainingParams(1, batchCount(x.dim(0)), 0, EVAL_BATCH);
            for (Callback cb : callbacks) {
                cb.setParams(params);
                cb.setModel(model);
            }
        }
        EvalPools pools = model.takeEvalPools();
        try {
            return evaluate(inChunks(x, yt, null, pools), callbacks, 0);
        } finally {
            model.keepEvalPools(pools);
        }
    }

    /** {@link Sequential#evaluate(Dataset)} after its null and compile checks. */
    Evaluation evaluate(Dataset data) {
        checkDataset("evaluate", data);
        EvalPools pools = model.takeEvalPools();
        try {
            return evaluate(inChunks(data, null, pools), List.of(), 0);
        } finally {
            model.keepEvalPools(pools);
        }
    }

    private static int batchCount(int rows) {
        return (rows + EVAL_BATCH - 1) / EVAL_BATCH;
    }

    /**
     * The loss (weighted by the batches' sample weights, if any) and the metrics over one pass of
     * {@code data}, calling the callbacks' test hooks; {@code epoch} is fit's epoch for its
     * validation, 0 outside fit.
     */
    private Evaluation evaluate(EvalData data, List<Callback> callbacks, int epoch) {
        EvalPass pass = new EvalPass(callbacks, epoch);
        for (Callback cb : callbacks) {
            cb.onTestBegin();
        }
        if (data instanceof FromSource s) {
            evaluate(s, pass);
        } else {
            evaluate((InChunks) data, pass);
        }
        if (pass.seen == 0) {
            throw new IllegalStateException("validation: the batch source gave no batch");
        }
        int n = (int) pass.seen;
        Evaluation result = new Evaluation(results(pass.lossSum / n, pass.plain, pass.withWeights), n);
        for (Callback cb : callbacks) {
            cb.onTestEnd(result);
        }
        return result;
    }

    /** A user's source: the model on each batch as given. */
    private void evaluate(FromSource data, EvalPass pass) {
        PoolPerBatchSize pools = new PoolPerBatchSize();
        Iterator<BatchSource.Batch> batches = data.source().iterator();
        int number = 0;
        try {
            while (batches.hasNext()) {
                BatchSource.Batch batch = batches.next();
                number++;
                Tensor y = data.check() ? checkData("validation (batch source, step " + number + ")", batch.x(),
                        batch.y()) : batch.y();
                pass.begin(number);
                try (BufferPool.Scope step = pools.forSize(batch.size()).enter()) {
                    pass.add(y, model.call(batch.x()), batch.sampleWeights(), batch.size());
                }
                pass.end(number, batch.size());
            }
        } finally {
            close(batches);
        }
    }

    /** In-memory rows: the model on each chunk, the loss and metrics on each 32-row batch of its outputs. */
    private void evaluate(InChunks data, EvalPass pass) {
        int n = data.rows();
        Iterator<Batches.Batch> chunks = data.chunks() == null ? null : data.chunks().iterator();
        int number = 0;
        for (int first = 0; first < n; first += data.chunkRows()) {
            int m = Math.min(data.chunkRows(), n - first);
            pass.begin(number + 1);
            Tensor outputs;
            Tensor y;      // the chunk's targets are rows [yAt, yAt + m) of y
            int yAt;
            try (BufferPool.Scope forward = data.pools().chunks.forSize(m).enter()) {
                Tensor x;
                if (chunks != null) {
                    Batches.Batch chunk = chunks.next();
                    x = chunk.x();
                    y = chunk.y();
                    yAt = 0;
                } else {
                    x = rowsOf(data.x(), first, m);
                    y = data.y();
                    yAt = first;
                }
                outputs = model.call(x);
            }
            // outputs stay valid until the chunk pool's next scope: the next chunk's forward pass.
            for (int start = 0; start < m; start += EVAL_BATCH) {
                int size = Math.min(EVAL_BATCH, m - start);
                number++;
                if (start > 0) {
                    pass.begin(number);
                }
                try (BufferPool.Scope batch = data.pools().batches.forSize(size).enter()) {
                    Tensor prediction = size == m ? outputs : batchOf(outputs, start, size);
                    Tensor sampleWeight = data.rowWeights() == null ? null
                            : weightsOf(data.rowWeights(), first + start, size);
                    pass.add(rowsOf(y, yAt + start, size), prediction, sampleWeight, size);
                }
                pass.end(number, size);
            }
        }
    }

    /** The running loss and metrics of one evaluation, and its callbacks' batch hooks. */
    private final class EvalPass {
        final List<Metric> plain = fresh(model.compiledMetrics());
        final List<Metric> withWeights = fresh(model.compiledWeightedMetrics());
        final List<Tensor> penalties = GradientTape.unrecorded(model::losses); // the weights do not change here
        final List<Callback> callbacks;
        final int epoch;
        double lossSum;
        long seen;

        EvalPass(List<Callback> callbacks, int epoch) {
            this.callbacks = callbacks;
            this.epoch = epoch;
        }

        void begin(int number) {
            for (Callback cb : callbacks) {
                cb.onTestBatchBegin(number);
            }
        }

        /** One batch's loss and metrics, inside the caller's buffer scope. */
        void add(Tensor y, Tensor prediction, Tensor sampleWeight, int size) {
            Tensor lossValue = Sequential.plusPenalties(sampleWeight == null ? model.loss().call(y, prediction)
                    : weightedLoss("evaluate", y, prediction, sampleWeight), penalties);
            lossSum += (double) lossValue.item() * size;
            seen += size;
            update(plain, withWeights, y, prediction, sampleWeight);
        }

        void end(int number, int size) {
            if (!callbacks.isEmpty()) {
                BatchLogs logs = new BatchLogs(epoch, number, size, results(lossSum / seen, plain, withWeights));
                for (Callback cb : callbacks) {
                    cb.onTestBatchEnd(number, logs);
                }
            }
        }
    }

    /**
     * Rows {@code [start, start + size)} of a chunk's outputs as a tensor of the open buffer scope,
     * carrying the matching rows of the logits a softmax or sigmoid output remembers: the loss then
     * takes the same (fused, logits) path as on the outputs of a call on those rows alone.
     */
    private static Tensor batchOf(Tensor outputs, int start, int size) {
        Tensor batch = rowsOf(outputs, start, size);
        Tensor softmaxLogits = SoftmaxLogits.of(outputs);
        if (softmaxLogits != null) {
            SoftmaxLogits.remember(batch, rowsOf(softmaxLogits, start, size));
        }
        Tensor sigmoidLogits = SigmoidLogits.of(outputs);
        if (sigmoidLogits != null) {
            SigmoidLogits.remember(batch, rowsOf(sigmoidLogits, start, size));
        }
        return batch;
    }

    /** Rows {@code [start, start + size)} of {@code t}, copied into a tensor of the open buffer scope. */
    private static Tensor rowsOf(Tensor t, int start, int size) {
        int[] shape = t.shape();
        int row = t.size() / shape[0];
        shape[0] = size;
        Tensor rows = BufferPool.tensor(shape);
        System.arraycopy(t.data(), start * row, rows.data(), 0, size * row);
        return rows;
    }

    /** The sample weights of rows {@code [start, start + size)}, in a tensor of the open buffer scope. */
    private static Tensor weightsOf(float[] rowWeights, int start, int size) {
        Tensor w = BufferPool.tensor(size);
        System.arraycopy(rowWeights, start, w.data(), 0, size);
        return w;
    }

    /** {@link Sequential#predict} after its input check: the outputs, in batches of 32. */
    Tensor predict(Tensor x) {
        return predict(x, List.of());
    }

    /** As {@link #predict(Tensor)}, calling the callbacks' predict hooks once per 32-row batch. */
    Tensor predict(Tensor x, List<Callback> callbacks) {
        int n = x.dim(0);
        int[] outShape = model.outputShape();
        int outSize = 1;
        for (int d : outShape) {
            outSize *= d;
        }
        int[] fullShape = new int[outShape.length + 1];
        fullShape[0] = n;
        System.arraycopy(outShape, 0, fullShape, 1, outShape.length);
        Tensor out = Tensor.zeros(fullShape);
        int chunkRows = InferenceChunks.rows(model);
        if (!callbacks.isEmpty()) {
            TrainingParams params = new TrainingParams(1, batchCount(n), 0, EVAL_BATCH);
            for (Callback cb : callbacks) {
                cb.setParams(params);
                cb.setModel(model);
            }
        }
        for (Callback cb : callbacks) {
            cb.onPredictBegin();
        }
        EvalPools pools = model.takeEvalPools();
        try {
            predictChunks(x, callbacks, out, outSize, chunkRows, pools);
        } finally {
            model.keepEvalPools(pools);
        }
        for (Callback cb : callbacks) {
            cb.onPredictEnd();
        }
        return out;
    }

    /** predict's loop: the model on each chunk, the hooks on each 32-row batch of its outputs. */
    private void predictChunks(Tensor x, List<Callback> callbacks, Tensor out, int outSize, int chunkRows,
            EvalPools pools) {
        int n = x.dim(0);
        for (int first = 0; first < n; first += chunkRows) {
            int m = Math.min(chunkRows, n - first);
            for (Callback cb : callbacks) {
                cb.onPredictBatchBegin(first / EVAL_BATCH + 1);
            }
            Tensor outputs;
            try (BufferPool.Scope forward = pools.chunks.forSize(m).enter()) {
                outputs = model.call(rowsOf(x, first, m));
                System.arraycopy(outputs.data(), 0, out.data(), first * outSize, m * outSize);
            }
            for (int start = 0; start < m; start += EVAL_BATCH) {
                int size = Math.min(EVAL_BATCH, m - start);
                int number = (first + start) / EVAL_BATCH + 1;
                if (start > 0) {
                    for (Callback cb : callbacks) {
                        cb.onPredictBatchBegin(number);
                    }
                }
                if (!callbacks.isEmpty()) {
                    try (BufferPool.Scope batch = pools.batches.forSize(size).enter()) {
                        Tensor p = size == m ? outputs : batchOf(outputs, start, size);
                        for (Callback cb : callbacks) {
                            cb.onPredictBatchEnd(number, p);
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- weights

    /**
     * The checked sample weights as an array, or null; their length must be {@code n}. The class
     * weights are checked too, after them.
     */
    private float[] checkWeights(String method, FitOptions options, int n) {
        Tensor w = options.sampleWeights();
        if (w != null && w.size() != n) {
            throw new IllegalArgumentException(method + ": expected sample weights of shape (" + n + "), one per sample of x,"
                    + " got " + w.shapeString());
        }
        checkClassWeights(method, options);
        return w == null ? null : w.data().clone();
    }

    /** Refuses class weights for classes this model's targets cannot hold. */
    private void checkClassWeights(String method, FitOptions options) {
        Map<Integer, Double> cw = options.classWeights();
        if (cw == null) {
            return;
        }
        // A 1-unit output without a sparse loss has 0/1 targets: classes 0 and 1.
        int classes = model.outputs() == 1 && !model.loss().sparse() ? 2 : model.outputs();
        for (int c : cw.keySet()) {
            if (c >= classes) {
                throw new IllegalArgumentException(method + ": class weights name class " + c + ", but the targets of this"
                        + " model (" + model.architecture() + ") have classes 0.." + (classes - 1));
            }
        }
    }

    /** Checks, on one sample, that the loss takes sample weights, before any step. */
    private void requireWeightedLoss(String method, Batches.Batch first) {
        Tensor one = Tensor.wrap(new float[] {1f}, 1);
        Loss loss = model.loss();
        try {
            GradientTape.unrecorded(() -> loss.call(first.y(), model.call(first.x()), one));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(method + ": sample or class weights were given, but the loss " + loss.name()
                    + " does not take sample weights (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The class weight of each row's target {@code (m)} (keras/src/trainers/data_adapters/data_adapter_utils.py,
     * class_weight_to_sample_weights: arg-max of a one-hot row, the rounded value of a one-column target,
     * 1 for an unlisted class).
     */
    private static Tensor classWeightsOf(Tensor targets, Map<Integer, Double> classWeights) {
        int m = targets.dim(0);
        float[] w = new float[m];
        float[] y = targets.data();
        int k = targets.size() / m;
        for (int i = 0; i < m; i++) {
            int c;
            if (k == 1) {
                c = (int) Math.rint(y[i]); // NumPy's round: halves to even
            } else {
                c = 0;
                for (int j = 1; j < k; j++) {
                    if (y[i * k + j] > y[i * k + c]) {
                        c = j;
                    }
                }
            }
            w[i] = classWeights.getOrDefault(c, 1.0).floatValue();
        }
        return Tensor.wrap(w, m);
    }

    /**
     * In-memory batches as a batch source: fit's path for tensors and datasets, whose rows were checked
     * already; the sample weights (per source row, or null) follow each batch's rows.
     */
    private static final class InMemory implements BatchSource {
        private final Batches batches;
        private final float[] rowWeights;

        InMemory(Batches batches, float[] rowWeights) {
            this.batches = batches;
            this.rowWeights = rowWeights;
        }

        @Override
        public int batches() {
            return batches.count();
        }

        @Override
        public Iterator<Batch> iterator() {
            Iterator<Batches.Batch> it = batches.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Batch next() {
                    Batches.Batch b = it.next();
                    if (rowWeights == null) {
                        return new Batch(b.x(), b.y());
                    }
                    int[] rows = b.rows();
                    float[] w = new float[b.size()];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = rowWeights[rows[i]];
                    }
                    return new Batch(b.x(), b.y(), Tensor.wrap(w, w.length));
                }
            };
        }
    }

    // ---------------------------------------------------------------- data checks

    /** Checks a dataset against the model; its labels are checked when its batches are made. */
    private void checkDataset(String method, Dataset data) {
        if (model.loss().sparse()) {
            throw new IllegalArgumentException(method + ": a Dataset gives one-hot targets, but the loss takes sparse"
                    + " labels: compile with Loss.categoricalCrossentropy(), or pass the labels as y to fit(x, y, options)");
        }
        if (!Arrays.equals(model.inputShape(), data.sampleShape())) {
            if (model.inputShape().length == 1 && data.sampleShape().length == 1) {
                throw new IllegalArgumentException(method + ": expected images of " + model.inputs() + " features for this"
                        + " model (" + model.architecture() + "), got " + data.features());
            }
            // Images for a convnet: Dataset.withSampleShape(28, 28, 1) gives batches of the model's shape.
            throw new IllegalArgumentException(method + ": expected examples of shape " + Tensor.shapeString(
                    model.inputShape()) + " for this model (" + model.architecture() + "), got " + Tensor.shapeString(
                    data.sampleShape()) + (data.sampleShape().length == 1 ? ": give the dataset that shape with"
                    + " withSampleShape" : ""));
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(method + ": the dataset is empty");
        }
    }

    /** Checks x and y against the model and each other; returns y as a matrix ((n,1) for sparse labels). */
    private Tensor checkData(String method, Tensor x, Tensor y) {
        Objects.requireNonNull(x, method + ": x");
        Objects.requireNonNull(y, method + ": y");
        model.checkInput(method, "x", x);
        if (y.rank() == 0 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException(method + ": x and y must have the same number of rows, got x "
                    + x.shapeString() + " and y " + y.shapeString());
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException(method + ": no samples in x " + x.shapeString());
        }
        int n = x.dim(0);
        int outs = model.outputs();
        if (model.loss().sparse()) {
            if (!(y.hasShape(n) || y.hasShape(n, 1))) {
                throw new IllegalArgumentException(method + ": sparse labels must have shape (" + n + ") or (" + n
                        + ", 1), got " + y.shapeString());
            }
            float[] l = y.data();
            for (int i = 0; i < n; i++) {
                BuiltinLoss.classIndex(l[i], outs, i);
            }
            return y.reshape(n, 1);
        }
        if (!y.hasShape(n, outs)) {
            throw new IllegalArgumentException(method + ": expected y of shape (" + n + ", " + outs
                    + ") for a model with " + outs + " outputs, got " + y.shapeString());
        }
        return y;
    }

    /** Rows {@code [from, to)} of a matrix, copied. */
    private static Tensor rows(Tensor t, int from, int to) {
        int[] shape = t.shape();
        int row = t.size() / Math.max(1, shape[0]);
        float[] d = Arrays.copyOfRange(t.data(), from * row, to * row);
        shape[0] = to - from;
        return Tensor.wrap(d, shape);
    }

    /** One buffer pool for full batches and one for the smaller last batch of an epoch. */
    private static final class PoolPerBatchSize {
        private final BufferPool first = new BufferPool();
        private final BufferPool other = new BufferPool();
        private int firstSize = -1;

        BufferPool forSize(int size) {
            if (firstSize < 0) {
                firstSize = size;
            }
            return size == firstSize ? first : other;
        }
    }
}
