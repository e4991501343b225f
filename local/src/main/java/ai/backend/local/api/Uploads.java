package ai.backend.local.api;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Multipart uploads into a directory, all or nothing: every part's name and size is checked first, each
 * file is streamed to a temporary file beside its target, and only when all are written are they moved
 * into place. Names follow RFC 5987 ({@code filename*} first, then {@code filename}, percent-decoded) and
 * must stay inside the directory.
 */
public final class Uploads {
    private Uploads() {
    }

    /** One uploaded file: its relative name and the part holding its bytes. */
    public record Upload(String name, Part part) {
    }

    /** Reads the parts of a multipart request, spooling large ones to {@code spoolDir}. */
    public static List<Upload> parts(io.javalin.http.Context ctx, Path spoolDir, long maxFileBytes, int maxFiles) {
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw Problem.invalidApiParams("A multipart/form-data body is required.");
        }
        ctx.req().setAttribute("org.eclipse.jetty.multipartConfig",
                new MultipartConfigElement(spoolDir.toString(), -1, -1, 64 * 1024));
        List<Upload> uploads = new ArrayList<>();
        try {
            for (Part part : ctx.req().getParts()) {
                if (uploads.size() >= maxFiles) {
                    throw Problem.invalidApiParams("Too many files");
                }
                String name = fileName(part.getHeader("Content-Disposition"));
                if (name == null || name.isEmpty()) {
                    continue;
                }
                if (part.getSize() >= maxFileBytes) {
                    throw Problem.invalidApiParams("Too large file");
                }
                uploads.add(new Upload(name, part));
            }
        } catch (IOException | jakarta.servlet.ServletException | IllegalStateException e) {
            throw Problem.invalidApiParams("Malformed multipart body: " + e.getMessage());
        }
        return uploads;
    }

    /** The file name of a part: RFC 5987 {@code filename*} if present, else {@code filename}, percent-decoded. */
    public static String fileName(String disposition) {
        if (disposition == null) {
            return null;
        }
        String plain = null;
        String extended = null;
        for (String param : splitParams(disposition)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = param.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (key.equals("filename*")) {
                int quote = value.indexOf("''");
                extended = quote >= 0 ? value.substring(quote + 2) : value;
            } else if (key.equals("filename")) {
                plain = value;
            }
        }
        String name = extended != null ? extended : plain;
        if (name == null) {
            return null;
        }
        if (!name.contains("%")) {
            return name;
        }
        try {
            return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return name; // a raw name such as "100%.txt"
        }
    }

    private static List<String> splitParams(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * Resolves a relative name inside {@code root}, refusing absolute names, {@code ..} and paths that
     * leave the directory through a symbolic link.
     *
     * @throws Problem 400 {@code invalid-api-params} for a name outside the directory
     */
    static Path confined(Path root, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.indexOf('\0') >= 0) {
            throw Problem.invalidApiParams("Invalid file path: " + name);
        }
        Path rel = Path.of(name).normalize();
        for (Path element : rel) {
            if (element.toString().equals("..")) {
                throw Problem.invalidApiParams("Invalid file path (outside of the working directory): " + name);
            }
        }
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root)) {
            throw Problem.invalidApiParams("Invalid file path (outside of the working directory): " + name);
        }
        try {
            Path realRoot = root.toRealPath();
            for (Path p = target.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(realRoot)) {
                    throw Problem.invalidApiParams("Invalid file path (outside of the working directory): " + name);
                }
            }
            if (Files.isSymbolicLink(target) && !target.toRealPath().startsWith(realRoot)) {
                throw Problem.invalidApiParams("Invalid file path (outside of the working directory): " + name);
            }
        } catch (IOException e) {
            throw Problem.invalidApiParams("Invalid file path: " + name);
        }
        return target;
    }

    /** Writes every upload under {@code root}; on any failure nothing new is left behind. */
    public static void writeAll(Path root, List<Upload> uploads) {
        List<Path> targets = new ArrayList<>();
        for (Upload u : uploads) {
            targets.add(confined(root, u.name()));
        }
        List<Path> temps = new ArrayList<>();
        List<Path> createdDirs = new ArrayList<>();
        try {
            for (int i = 0; i < uploads.size(); i++) {
                Path target = targets.get(i);
                Path parent = target.getParent();
                for (Path d = parent; d != null && d.startsWith(root) && !Files.exists(d); d = d.getParent()) {
                    createdDirs.add(0, d);
                }
                Files.createDirectories(parent);
                Path tmp = Files.createTempFile(parent, ".upload-", ".part");
                temps.add(tmp);
                try (InputStream in = uploads.get(i).part().getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (int i = 0; i < uploads.size(); i++) {
                Files.move(temps.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            temps.clear();
        } catch (IOException e) {
            throw Problem.invalidApiParams("Cannot store the uploaded files: " + e.getMessage());
        } finally {
            for (Path tmp : temps) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            if (!temps.isEmpty()) {
                for (int i = createdDirs.size() - 1; i >= 0; i--) {
                    try {
                        Files.deleteIfExists(createdDirs.get(i));
                    } catch (IOException ignored) {
                        // not empty or gone
                    }
                }
            }
            for (Upload u : uploads) {
                try {
                    u.part().delete();
                } catch (IOException ignored) {
                    // spool file already gone
                }
            }
        }
    }
}
