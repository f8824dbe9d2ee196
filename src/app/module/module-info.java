/**
 * The program {@code mnist.jar}: the report's experiment (training, evaluation, the HTML report and its
 * figures) and {@code predict}, built on the library module {@code vecgrad} through its exported API only.
 *
 * <p>The program, not the library, reads {@code java.desktop}: {@code javax.imageio} decodes the PNG
 * digits given to {@code mnist.jar predict}. Nothing is exported: the program is not an API.
 */
module vecgrad.app {
    requires vecgrad;
    requires java.desktop; // javax.imageio for `mnist.jar predict IMAGE`
}
