package ai.backend.client.vfolder;

import ai.backend.client.BackendClientError;
import ai.backend.client.TransferListener;
import ai.backend.client.internal.MultipartMixedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Streams downloads to disk: each part goes to a temporary file beside its target and is moved into place
 * only when complete, so a failed transfer leaves no partial file. Shared by folder and session downloads.
 */
public final class Transfers {
    private Transfers() {
    }

    /** A file name from a part's Content-Disposition ({@code filename*} first), reduced to a safe base name. */
    static String fileName(String disposition, int index) {
        String name = null;
        if (disposition != null) {
            for (String param : disposition.split(";")) {
                String p = param.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = p.substring(eq + 1).trim();
                if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                    value = value.substring(1, value.length() - 1);
                }
                if (key.equals("filename*")) {
                    int q = value.indexOf("''");
                    name = URLDecoder.decode((q >= 0 ? value.substring(q + 2) : value).replace("+", "%2B"), StandardCharsets.UTF_8);
                    break;
                } else if (key.equals("filename")) {
                    name = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                }
            }
        }
        if (name != null) {
            name = name.replace('\\', '/');
            name = name.substring(name.lastIndexOf('/') + 1);
        }
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "download-" + index;
        }
        return name;
    }

    /** Writes every part of a multipart/mixed download into {@code destDir}; returns the written files. */
    static List<Path> saveParts(HttpResponse<InputStream> response, Path destDir, TransferListener listener) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String boundary = MultipartMixedReader.boundary(contentType);
        if (boundary == null) {
            throw new BackendClientError("The download is not a multipart body (Content-Type: " + contentType + ")");
        }
        List<Path> written = new ArrayList<>();
        try (InputStream body = response.body()) {
            Files.createDirectories(destDir);
            MultipartMixedReader reader = new MultipartMixedReader(body, boundary);
            int index = 0;
            for (MultipartMixedReader.Part part = reader.next(); part != null; part = reader.next()) {
                String name = fileName(part.header("Content-Disposition"), index++);
                InputStream content = "gzip".equalsIgnoreCase(part.header("Content-Encoding"))
                        ? new GZIPInputStream(part.content(), 65536) : part.content();
                written.add(saveAtomically(content, destDir.resolve(name), name, -1, listener));
            }
        } catch (IOException e) {
            throw new BackendClientError("The download failed: " + e.getMessage(), e, true);
        }
        return written;
    }

    /** Copies to a temporary file beside {@code target}, then moves it into place. */
    static Path saveAtomically(InputStream in, Path target, String name, long total, TransferListener listener)
            throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[65536];
                long done = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    done += n;
                    listener.onProgress(name, done, total);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
