/**
 * Datasets on disk: the IDX format of MNIST, and MNIST itself.
 *
 * <p>Entry points: {@link vecgrad.data.Mnist#load} loads the four MNIST files into a training and a
 * test {@link vecgrad.data.Dataset} (images {@code (N, 784)} in [0, 1], labels 0..9);
 * {@link vecgrad.data.IdxFile} reads and writes any IDX file, raw or gzip-compressed, as an
 * {@link vecgrad.data.IdxArray}, and reports a malformed file as an
 * {@link vecgrad.data.IdxFormatException}; {@link vecgrad.data.BatchSource} streams batches (an IDX
 * pair from disk, a generator) to {@code Sequential.fit} without loading the data. This package depends only on {@code vecgrad.tensor}.
 */
package vecgrad.data;
