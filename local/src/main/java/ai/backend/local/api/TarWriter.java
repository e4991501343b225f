package ai.backend.local.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * A minimal POSIX ustar writer for session downloads (one archive per requested path, as Docker's
 * {@code get_archive} gives): regular files and directories, names relative to the path's parent.
 * Symbolic links are skipped, so nothing outside the session is ever archived.
 */
final class TarWriter {
    private TarWriter() {
    }

    /**
     * Archives {@code path} (a file or a directory tree) in memory.
     *
     * @throws IOException when the archive would exceed {@code maxBytes}
     */
    static byte[] archive(Path path, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path base = path.getParent();
        List<Path> entries;
        try (var walk = Files.walk(path)) {
            entries = walk.filter(p -> !Files.isSymbolicLink(p)).sorted().toList();
        }
        for (Path p : entries) {
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!dir && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String name = base.relativize(p).toString() + (dir ? "/" : "");
            long size = dir ? 0 : Files.size(p);
            if (out.size() + 512 + size > maxBytes) {
                throw new IOException("the archive exceeds " + maxBytes + " bytes");
            }
            out.write(header(name, size, dir, mode(p), Files.getLastModifiedTime(p).toMillis() / 1000));
            if (!dir) {
                out.write(Files.readAllBytes(p));
                int pad = (int) ((512 - size % 512) % 512);
                out.write(new byte[pad]);
            }
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static int mode(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission perm : perms) {
                mode |= 1 << (8 - perm.ordinal());
            }
            return mode;
        } catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }

    private static byte[] header(String name, long size, boolean dir, int mode, long mtime) throws IOException {
        byte[] h = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            int split = name.lastIndexOf('/', name.length() - 2);
            byte[] prefix = split > 0 ? name.substring(0, split).getBytes(StandardCharsets.UTF_8) : new byte[0];
            byte[] rest = split > 0 ? name.substring(split + 1).getBytes(StandardCharsets.UTF_8) : nameBytes;
            if (prefix.length > 155 || rest.length > 100) {
                throw new IOException("a path in the archive is too long: " + name);
            }
            System.arraycopy(rest, 0, h, 0, rest.length);
            System.arraycopy(prefix, 0, h, 345, prefix.length);
        } else {
            System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        }
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) (dir ? '5' : '0');
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        int pad = len - 1 - s.length();
        for (int i = 0; i < len - 1; i++) {
            h[off + i] = (byte) (i < pad ? '0' : s.charAt(i - pad));
        }
        h[off + len - 1] = 0;
    }
}
