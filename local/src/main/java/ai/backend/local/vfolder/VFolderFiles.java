package ai.backend.local.vfolder;

import ai.backend.local.api.Problem;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLConnection;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * File-system helpers of the virtual folder API: path confinement, sizes, and the Python formats the
 * manager's answers use ({@code stat.filemode}, float {@code repr}, {@code str(datetime)},
 * {@code mimetypes.guess_type}).
 */
final class VFolderFiles {
    private VFolderFiles() {
    }

    /**
     * Resolves a path relative to a folder's root, refusing absolute paths, {@code ..} components, NUL bytes
     * and any path that leaves the folder through a symbolic link (in a parent, or the entry itself).
     *
     * @throws Problem 400 {@code invalid-api-params} for a path outside the folder
     */
    static Path confined(Path root, String name) {
        return check(confinedOrNull(root, name, false), name);
    }

    /**
     * As {@link #confined}, for an entry that is to be removed: the entry itself may be a symbolic link
     * (leading anywhere, or nowhere), since removing it only removes the link; its parents must stay inside.
     */
    static Path confinedEntry(Path root, String name) {
        return check(confinedOrNull(root, name, true), name);
    }

    private static Path check(Path target, String name) {
        if (target == null) {
            throw Problem.invalidApiParams("Invalid file path (outside of the virtual folder): " + name);
        }
        return target;
    }

    /** As {@link #confined}, but null for a path outside the folder. */
    static Path confinedOrNull(Path root, String name, boolean entryMayBeLink) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.indexOf('\0') >= 0) {
            return null;
        }
        Path rel;
        try {
            rel = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        for (Path element : rel) {
            if (element.toString().equals("..")) {
                return null;
            }
        }
        Path target = root.resolve(rel.normalize()).normalize();
        if (!target.startsWith(root)) {
            return null;
        }
        Path start = entryMayBeLink && !target.equals(root) ? target.getParent() : target;
        try {
            Path realRoot = root.toRealPath();
            for (Path p = start; p != null && p.startsWith(root); p = p.getParent()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    // the deepest existing ancestor (or the entry itself) decides where the path really leads
                    if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                        return null; // a dangling link: where it would lead is not known
                    }
                    return p.toRealPath().startsWith(realRoot) ? target : null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The total size of the regular files under {@code dir} (symbolic links are not followed). */
    static long treeSize(Path dir) throws IOException {
        long[] total = {0};
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Deletes a tree without following symbolic links (a link is removed, never what it points to). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(dir);
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Python's {@code stat.filemode}: e.g. {@code -rw-r--r--}, {@code drwxr-xr-x}, {@code lrwxrwxrwx}. */
    static String filemode(int mode) {
        StringBuilder sb = new StringBuilder(10);
        switch (mode & 0170000) {
            case 0140000 -> sb.append('s');
            case 0120000 -> sb.append('l');
            case 0100000 -> sb.append('-');
            case 0060000 -> sb.append('b');
            case 0040000 -> sb.append('d');
            case 0020000 -> sb.append('c');
            case 0010000 -> sb.append('p');
            default -> sb.append('?');
        }
        sb.append((mode & 0400) != 0 ? 'r' : '-');
        sb.append((mode & 0200) != 0 ? 'w' : '-');
        sb.append(exec(mode, 0100, 04000, 's', 'S'));
        sb.append((mode & 040) != 0 ? 'r' : '-');
        sb.append((mode & 020) != 0 ? 'w' : '-');
        sb.append(exec(mode, 010, 02000, 's', 'S'));
        sb.append((mode & 04) != 0 ? 'r' : '-');
        sb.append((mode & 02) != 0 ? 'w' : '-');
        sb.append(exec(mode, 01, 01000, 't', 'T'));
        return sb.toString();
    }

    private static char exec(int mode, int x, int special, char both, char onlySpecial) {
        boolean hasX = (mode & x) != 0;
        boolean hasSpecial = (mode & special) != 0;
        if (hasSpecial) {
            return hasX ? both : onlySpecial;
        }
        return hasX ? 'x' : '-';
    }

    /** POSIX seconds as Python's {@code st_*time} float ({@code sec + nsec * 1e-9}), written as its repr. */
    static BigDecimal pythonTime(FileTime t) {
        java.time.Instant i = t.toInstant();
        double seconds = i.getEpochSecond() + i.getNano() * 1e-9;
        return pythonFloat(seconds);
    }

    /** A double written as Python's {@code repr(float)} writes it in JSON (shortest digits, always a fraction). */
    static BigDecimal pythonFloat(double d) {
        BigDecimal b = new BigDecimal(Double.toString(d));
        return b.scale() <= 0 ? b.setScale(1) : b;
    }

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Python's {@code str(datetime)} of an aware timestamp: {@code 2019-03-15 12:34:56.123456+00:00}. */
    static String pythonDateTime(String iso) {
        OffsetDateTime t = OffsetDateTime.parse(iso);
        StringBuilder sb = new StringBuilder(DATE_TIME.format(t));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            sb.append('.').append(String.format(Locale.ROOT, "%06d", micros));
        }
        int offset = t.getOffset().getTotalSeconds();
        sb.append(offset < 0 ? '-' : '+');
        offset = Math.abs(offset);
        sb.append(String.format(Locale.ROOT, "%02d:%02d", offset / 3600, offset / 60 % 60));
        return sb.toString();
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("py", "text/x-python"), Map.entry("json", "application/json"),
            Map.entry("csv", "text/csv"), Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
            Map.entry("js", "application/javascript"), Map.entry("css", "text/css"), Map.entry("md", "text/markdown"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("tar", "application/x-tar"), Map.entry("sh", "application/x-sh"),
            Map.entry("xml", "text/xml"), Map.entry("ipynb", "application/x-ipynb+json"));

    /** A content type guessed from the file name, as Python's {@code mimetypes.guess_type}; else octet-stream. */
    static String contentType(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (String enc : new String[] {".gz", ".bz2", ".xz"}) {
            if (name.endsWith(enc)) {
                // Python reports these as an encoding of the inner type, and returns the inner type
                name = name.substring(0, name.length() - enc.length());
                if (!name.contains(".")) {
                    return "application/octet-stream";
                }
                break;
            }
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return "application/octet-stream";
        }
        String t = TYPES.get(name.substring(dot + 1));
        if (t == null) {
            t = URLConnection.getFileNameMap().getContentTypeFor(name);
        }
        return t == null ? "application/octet-stream" : t;
    }
}
