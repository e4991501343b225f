package ai.backend.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts a POSIX (ustar) tar stream into a directory: regular files and directories only, every path
 * confined to the directory (entries with {@code ..} or absolute paths are refused), each file written to a
 * temporary file and moved into place when complete. Internal.
 */
public final class TarExtractor {
    private TarExtractor() {
    }

    /** Extracts {@code in} under {@code dest}; returns the files written. */
    public static List<Path> extract(InputStream in, Path dest) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        byte[] header = new byte[512];
        String longName = null;
        while (readFully(in, header)) {
            if (isZero(header)) {
                break;
            }
            String name = longName != null ? longName : field(header, 0, 100);
            longName = null;
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty() && name.equals(field(header, 0, 100))) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            char type = (char) (header[156] == 0 ? '0' : header[156]);
            long padded = (size + 511) / 512 * 512;
            if (type == 'L') { // GNU long name
                byte[] data = in.readNBytes((int) padded);
                longName = new String(data, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            Path target = root.resolve(name).normalize();
            if (name.startsWith("/") || !target.startsWith(root)) {
                throw new IOException("The archive holds a path outside of the destination: " + name);
            }
            if (type == '5') {
                Files.createDirectories(target);
            } else if (type == '0' || type == '7') {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
                try {
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        copy(in, out, size);
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                written.add(target);
                skip(in, padded - size);
                continue;
            }
            skip(in, padded);
        }
        return written;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new IOException("The archive is truncated");
        }
        return true;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("The archive is truncated");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("The archive is truncated");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
