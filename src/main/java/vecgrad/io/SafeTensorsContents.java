package vecgrad.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * What {@link SafeTensors#read} found in a file: the tensors by name (as float32), the dtype each
 * was stored as, and the metadata. The maps are unmodifiable; the tensors are fresh, owned by the
 * caller and shared with nothing else.
 *
 * <p>To load weights into a model, compare {@link #tensors()}{@code .keySet()} with the model's
 * names, each {@link Tensor#shape()} with the variable's, and {@link #dtype} with the precision the
 * caller accepts (for example only {@link StoredDtype#F32}).
 */
public final class SafeTensorsContents {

    private final Path file;
    private final Map<String, Tensor> tensors;
    private final Map<String, StoredDtype> dtypes;
    private final Map<String, String> metadata;

    SafeTensorsContents(Path file, LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, StoredDtype> dtypes,
            Map<String, String> metadata) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.dtypes = Collections.unmodifiableMap(dtypes);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * The file these contents were read from.
     *
     * @return the path as given to {@link SafeTensors#read}
     */
    public Path file() {
        return file;
    }

    /**
     * The tensors by name, in the order of their data in the file (name order for files this library wrote).
     *
     * @return an unmodifiable map from name to a float32 tensor owned by the caller
     */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The tensor named {@code name}.
     *
     * @param name the tensor's name in the file
     * @return the tensor, as float32
     * @throws IllegalArgumentException if the file holds no tensor of that name (the message lists the names it holds)
     */
    public Tensor tensor(String name) {
        return tensors.get(requireName(name));
    }

    /**
     * The dtype the tensor named {@code name} was stored as in the file.
     *
     * @param name the tensor's name in the file
     * @return its dtype in the file, before conversion to float32
     * @throws IllegalArgumentException if the file holds no tensor of that name
     */
    public StoredDtype dtype(String name) {
        return dtypes.get(requireName(name));
    }

    /**
     * The {@code __metadata__} entries in file order; empty if the file has none.
     *
     * @return an unmodifiable map of metadata keys to values
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SafeTensorsContents[").append(file).append(": ");
        sb.append(tensors.size()).append(tensors.size() == 1 ? " tensor" : " tensors");
        int shown = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (shown++ == 8) {
                sb.append(", ...");
                break;
            }
            sb.append(shown == 1 ? " " : ", ").append(e.getKey().length() > 60 ? e.getKey().substring(0, 60) + "\u2026" : e.getKey()).append(' ').append(e.getValue().shapeString())
                    .append(' ').append(dtypes.get(e.getKey()));
        }
        return sb.append(", ").append(metadata.size()).append(" metadata entries]").toString();
    }

    private String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!tensors.containsKey(name)) {
            StringBuilder held = new StringBuilder();
            int shown = 0;
            for (String n : tensors.keySet()) {
                if (shown++ == 20) {
                    held.append(", ...");
                    break;
                }
                held.append(shown == 1 ? "" : ", ").append(SafeTensorsReader.quote(n));
            }
            throw new IllegalArgumentException("expected the name of a tensor in " + file + " (" + tensors.size()
                    + " tensors: " + held + "), found " + SafeTensorsReader.quote(name));
        }
        return name;
    }
}
