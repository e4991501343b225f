package ai.backend.local.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's accelerators, as {@code nvidia-smi} reports them. The local agent reports them as the
 * {@code cuda.device} slot (19.03's name for whole CUDA devices). No {@code nvidia-smi}, a failing one (no driver)
 * or one that does not answer within 10 seconds means no accelerators.
 */
public final class Accelerators {
    private static final System.Logger LOG = System.getLogger(Accelerators.class.getName());
    /** The slot whole CUDA devices are counted in. */
    public static final String CUDA_SLOT = "cuda.device";
    static final List<String> QUERY = List.of("--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits");

    /** One GPU: its index (what {@code CUDA_VISIBLE_DEVICES} names), UUID, model name and memory. */
    public record Gpu(int index, String uuid, String name, long memoryBytes) {
    }

    private Accelerators() {
    }

    /**
     * Asks {@code command} (a path or a name on PATH; null for {@code nvidia-smi}, empty for none) for the GPUs.
     * Never throws: anything that goes wrong means no GPUs, logged at INFO.
     */
    public static List<Gpu> probe(String command) {
        if (command != null && command.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        argv.add(command == null ? "nvidia-smi" : command);
        argv.addAll(QUERY);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no nvidia-smi: no accelerators");
            return List.of();
        }
        try (InputStream out = p.getInputStream()) {
            p.getOutputStream().close();
            byte[] text = out.readNBytes(1 << 20);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                LOG.log(System.Logger.Level.INFO, "nvidia-smi failed, reporting no accelerators: "
                        + new String(text, StandardCharsets.UTF_8).strip());
                return List.of();
            }
            return parse(new String(text, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.INFO, "cannot read nvidia-smi's answer, reporting no accelerators: " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits}: one line
     * per GPU, memory in MiB ({@code [N/A]} is read as 0).
     *
     * @throws IllegalArgumentException for a line that is not four fields with a numeric index
     */
    public static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 4) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
            }
            String memory = f[f.length - 1].trim();
            String name = String.join(",", java.util.Arrays.copyOfRange(f, 2, f.length - 1)).trim();
            try {
                long mib = memory.matches("[0-9]+") ? Long.parseLong(memory) : 0;
                gpus.add(new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), name, mib << 20));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: " + line, e);
            }
        }
        return List.copyOf(gpus);
    }
}
