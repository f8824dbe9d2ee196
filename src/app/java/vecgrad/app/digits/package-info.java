/**
 * Internal (not exported): turns a photo or drawing of a digit into MNIST's format for
 * {@code mnist.jar predict IMAGE}. The entry point is {@link vecgrad.app.digits.DigitImage#read}.
 */
package vecgrad.app.digits;
