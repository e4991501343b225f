package ai.backend.local;

/**
 * Limits on session file transfers; the defaults are the real manager's (protocol §3.2.9, §3.2.10).
 *
 * @param maxUploadFiles     files per upload request
 * @param maxUploadFileBytes each uploaded file must be smaller than this
 * @param maxDownloadFiles   paths per download request
 * @param maxArchiveBytes    the tar archive of each downloaded path must stay within this
 */
public record SessionFileLimits(int maxUploadFiles, long maxUploadFileBytes, int maxDownloadFiles, long maxArchiveBytes) {
    public SessionFileLimits {
        if (maxUploadFiles < 1 || maxUploadFileBytes < 1 || maxDownloadFiles < 1 || maxArchiveBytes < 1024) {
            throw new IllegalArgumentException("session file limits must be positive (archives at least 1 KiB)");
        }
    }

    /** 20 files below 1 MiB each per upload; 5 paths of at most 1 MiB each per download. */
    public static SessionFileLimits defaults() {
        return new SessionFileLimits(20, 1024 * 1024, 5, 1024 * 1024);
    }
}
