package ai.backend.examples;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.kernel.ConsoleRecord;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Handling multi-media output: the program displays an SVG drawing, an HTML table and a PNG image; the
 * media records are saved to files in {@code outDir} (images decoded from their data URIs).
 */
public final class MediaOutput {
    private MediaOutput() {
    }

    public static void main(String[] args) {
        run(APIConfig.fromEnvironment(), System.out, Path.of(args.length > 0 ? args[0] : "."));
    }

    static final String CODE = String.join("\n",
            "from backendai_display import display, display_html, display_svg, display_image",
            "import base64, zlib, struct",
            "display_svg('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"40\"><circle cx=\"20\" cy=\"20\" r=\"18\"/></svg>')",
            "display_html('<table><tr><td>1</td><td>2</td></tr></table>')",
            "def png(w, h):",
            "    raw = b''.join(b'\\x00' + b'\\xff\\x00\\x00' * w for _ in range(h))",
            "    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))",
            "    return b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) \\",
            "        + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')",
            "display_image(png(4, 4), 'image/png')",
            "print('done')");

    public static void run(APIConfig config, PrintStream out, Path outDir) {
        try (Session session = new Session(config)) {
            Kernel kernel = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
            try {
                int[] n = {0};
                kernel.run(CODE, (ExecutionResult result) -> {
                    for (ConsoleRecord record : result.console()) {
                        if (record instanceof ConsoleRecord.Media) {
                            save((ConsoleRecord.Media) record, outDir, ++n[0], out);
                        } else if (record instanceof ConsoleRecord.Stdout) {
                            out.print(((ConsoleRecord.Stdout) record).text());
                        }
                    }
                });
            } finally {
                kernel.destroy();
            }
        }
    }

    private static void save(ConsoleRecord.Media media, Path outDir, int index, PrintStream out) {
        String content = media.contentAsString();
        byte[] bytes;
        String ext;
        if (content.startsWith("data:")) {
            bytes = Base64.getDecoder().decode(content.substring(content.indexOf(',') + 1));
            ext = media.mimeType().substring(media.mimeType().indexOf('/') + 1);
        } else {
            bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ext = media.mimeType().equals("image/svg+xml") ? "svg" : media.mimeType().equals("text/html") ? "html" : "txt";
        }
        Path file = outDir.resolve("media-" + index + "." + ext);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(media.mimeType() + " -> " + file.getFileName() + " (" + bytes.length + " bytes)");
    }
}
