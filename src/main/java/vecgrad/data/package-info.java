/**
 * Datasets on disk: the IDX format of MNIST, and MNIST itself.
 *
 * <p>Entry points: {@link vecgrad.data.Mnist#load} loads the four MNIST files into a training and a
 * test {@link vecgrad.data.Dataset} (images {@code (N, 784)} in [0, 1], labels 0..9);
 * {@link vecgrad.data.IdxFile} reads and writes any IDX file, raw or gzip-compressed, as an
 * {@link vecgrad.data.IdxArray}, and reports a malformed file as an
 * {@link vecgrad.data.IdxFormatException}; {@link vecgrad.data.BatchSource} streams batches (an IDX
 * pair from disk, a generator) to {@code Sequential.fit} without loading the data.
 * {@link vecgrad.data.CsvReader} reads a table with a header row into {@link vecgrad.data.CsvData}
 * (features and class or numeric labels), reporting a bad file as a
 * {@link vecgrad.data.CsvFormatException} that names line and column; {@link vecgrad.data.Split}
 * splits examples into seeded, shuffled parts. This package depends only on {@code vecgrad.tensor} and
 * {@code vecgrad.io} (whose {@code InputFiles} every reader calls first).
 */
package vecgrad.data;
