/**
 * Internal (not exported): the {@code mnist.jar} command line, {@link vecgrad.app.Main}.
 */
package vecgrad.app;
