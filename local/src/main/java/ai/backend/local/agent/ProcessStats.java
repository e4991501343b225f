package ai.backend.local.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resource figures of a process tree read from {@code /proc}: CPU time (msec, including reaped children),
 * peak and current resident memory, and block I/O bytes. Zero where {@code /proc} is unavailable.
 */
public record ProcessStats(long cpuUsedMs, long memMaxBytes, long memCurBytes, long ioReadBytes, long ioWriteBytes) {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** Reads the figures of {@code root} and its live descendants. */
    public static ProcessStats of(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        long cpu = 0;
        long memMax = 0;
        long memCur = 0;
        long read = 0;
        long write = 0;
        for (ProcessHandle p : tree) {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            cpu += cpuTicks(proc) * 1000 / CLOCK_TICKS_PER_SECOND;
            memMax += statusKb(proc, "VmHWM:") * 1024;
            memCur += statusKb(proc, "VmRSS:") * 1024;
            read += ioField(proc, "read_bytes:");
            write += ioField(proc, "write_bytes:");
        }
        return new ProcessStats(cpu, memMax, memCur, read, write);
    }

    private static long cpuTicks(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is f[0]; utime=f[11], stime=f[12], cutime=f[13], cstime=f[14]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long statusKb(Path proc, String key) {
        return field(proc.resolve("status"), key);
    }

    private static long ioField(Path proc, String key) {
        return field(proc.resolve("io"), key);
    }

    private static long field(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String v = line.substring(key.length()).trim();
                    int space = v.indexOf(' ');
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
