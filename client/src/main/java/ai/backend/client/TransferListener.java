package ai.backend.client;

/**
 * Hears how an upload or download advances. Called on the thread doing the transfer, often; keep it cheap.
 */
@FunctionalInterface
public interface TransferListener {
    /** Nothing to report. */
    TransferListener NONE = (file, done, total) -> { };

    /**
     * @param file  the file being transferred (its name as sent)
     * @param done  bytes of this file transferred so far
     * @param total the file's size, or -1 when unknown
     */
    void onProgress(String file, long done, long total);
}
