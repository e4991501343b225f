package ai.backend.local.vfolder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * The body of a folder download (protocol §3.3.10), produced as it is read: a {@code multipart/mixed} body
 * with one part per file whose content is the file gzip-compressed (RFC 1952) on the fly. Files are opened
 * one at a time, when their part is reached, and never held in memory.
 */
final class GzipMultipartStream extends InputStream {
    /** One file to send: where it is and the headers of its part. */
    record Entry(Path file, String contentType, String disposition) {
    }

    /** The gzip header the manager's zlib writes: no flags, no mtime, OS = Unix. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final List<Entry> entries;
    private final String boundary;
    private int next;
    private boolean finished;
    private InputStream current;
    // the open file of the current part, its checksum and the deflater
    private CheckedInputStream fileIn;
    private Deflater deflater;
    private long fileBytes;
    private int stage; // 0: head, 1: compressed content, 2: trailer

    private Runnable beforeFirstRead;

    /**
     * @param beforeFirstRead run once, before the first byte is produced (e.g. to commit the response headers)
     */
    GzipMultipartStream(List<Entry> entries, String boundary, Runnable beforeFirstRead) {
        this.entries = entries;
        this.boundary = boundary;
        this.beforeFirstRead = beforeFirstRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (beforeFirstRead != null) {
            Runnable r = beforeFirstRead;
            beforeFirstRead = null;
            try {
                r.run();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        while (true) {
            if (current == null && !advance()) {
                return -1;
            }
            int n = current.read(b, off, len);
            if (n > 0) {
                return n;
            }
            current = null;
        }
    }

    /** Moves to the next piece of the body; false at the end. */
    private boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        if (stage == 1) {
            // the compressed content is done: the gzip trailer (CRC-32 and size, little-endian), then CRLF
            long crc = fileIn.getChecksum().getValue();
            long size = fileBytes;
            closeFile();
            byte[] trailer = new byte[10];
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (crc >>> (8 * i));
                trailer[4 + i] = (byte) (size >>> (8 * i));
            }
            trailer[8] = '\r';
            trailer[9] = '\n';
            current = new ByteArrayInputStream(trailer);
            stage = 2;
            return true;
        }
        if (next >= entries.size()) {
            current = new ByteArrayInputStream(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            finished = true;
            return true;
        }
        Entry e = entries.get(next++);
        InputStream raw = Files.newInputStream(e.file());
        fileBytes = 0;
        fileIn = new CheckedInputStream(raw, new CRC32()) {
            @Override
            public int read(byte[] buf, int o, int l) throws IOException {
                int n = super.read(buf, o, l);
                if (n > 0) {
                    fileBytes += n;
                }
                return n;
            }
        };
        deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        InputStream compressed = new DeflaterInputStream(fileIn, deflater, 65536);
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Type: " + e.contentType() + "\r\n"
                + "Content-Encoding: gzip\r\n"
                + "Content-Disposition: " + e.disposition() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] start = new byte[head.length + GZIP_HEADER.length];
        System.arraycopy(head, 0, start, 0, head.length);
        System.arraycopy(GZIP_HEADER, 0, start, head.length, GZIP_HEADER.length);
        current = new java.io.SequenceInputStream(new ByteArrayInputStream(start), compressed);
        stage = 1;
        return true;
    }

    private void closeFile() throws IOException {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        if (fileIn != null) {
            fileIn.close();
            fileIn = null;
        }
    }

    @Override
    public void close() throws IOException {
        finished = true;
        current = null;
        closeFile();
    }
}
