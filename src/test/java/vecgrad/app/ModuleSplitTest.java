package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library and the program are two modules: the library reads only {@code java.base} and the Vector
 * API and exports its API packages, the program reads the library and {@code java.desktop}. Read from
 * the compiled descriptors the build packs into the two jars ({@code .ci/library-check} checks the jars).
 */
class ModuleSplitTest {

    private static final Path LIBRARY = Path.of("target", "classes");
    private static final Path PROGRAM = Path.of("target", "app-classes");

    @Test
    void library_readsOnlyJavaBaseAndTheVectorApi_andExportsItsApi() throws IOException {
        ModuleDescriptor library = descriptor(LIBRARY);

        assertThat(library.name()).isEqualTo("vecgrad");
        assertThat(requires(library)).containsExactly("java.base", "jdk.incubator.vector");
        assertThat(library.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
        Set<String> exported = library.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported).containsExactly("vecgrad.autodiff", "vecgrad.data", "vecgrad.io", "vecgrad.nn", "vecgrad.optim",
                        "vecgrad.tensor");
        assertThat(library.mainClass()).isEmpty();
    }

    @Test
    void program_readsTheLibraryAndJavaDesktop_andExportsNothing() throws IOException {
        ModuleDescriptor program = descriptor(PROGRAM);

        assertThat(program.name()).isEqualTo("vecgrad.app");
        assertThat(requires(program)).containsExactly("java.base", "java.desktop", "vecgrad");
        assertThat(program.exports()).isEmpty();
    }

    @Test
    void programClasses_areNotInTheLibrary() throws IOException {
        try (Stream<Path> files = Files.walk(LIBRARY)) {
            // Files only: an incremental build may leave the program's old, empty folders behind.
            assertThat(files.filter(Files::isRegularFile).map(LIBRARY::relativize).map(Path::toString))
                    .isNotEmpty()
                    .noneMatch(f -> f.startsWith("vecgrad/app"));
        }
        assertThat(PROGRAM.resolve("vecgrad/app/Main.class")).isRegularFile();
    }

    private static ModuleDescriptor descriptor(Path classes) throws IOException {
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    private static Set<String> requires(ModuleDescriptor module) {
        return module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
