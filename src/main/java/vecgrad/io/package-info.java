/**
 * Tensors on disk in the safetensors format of Hugging Face and PyTorch. The entry point is
 * {@link vecgrad.io.SafeTensors}: {@code write} stores named float32 tensors and string metadata
 * atomically and deterministically, {@code read} validates a file completely and returns a
 * {@link vecgrad.io.SafeTensorsContents}; a malformed file raises a
 * {@link vecgrad.io.SafeTensorsFormatException}. {@link vecgrad.io.AtomicFile} writes every file of
 * the library crash-safely; {@link vecgrad.io.InputFiles} refuses folders, FIFOs and devices given as
 * input files. Depends only on {@code vecgrad.tensor}.
 */
package vecgrad.io;
