package ai.backend.client;

/**
 * An error on the client's side: missing or invalid configuration, a server that cannot be reached, a
 * response that cannot be understood, a call on a closed session, or a timeout.
 */
public class BackendClientError extends BackendError {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public BackendClientError(String message) {
        this(message, null, false);
    }

    public BackendClientError(String message, Throwable cause) {
        this(message, cause, false);
    }

    public BackendClientError(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** The 19.03 wording for a request that never got an answer, naming what to check. */
    public static BackendClientError connectionFailed(String endpoint, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new BackendClientError("Request to the API endpoint has failed.\n"
                + "Check your network connection and/or the server status (endpoint: " + endpoint + ").\n"
                + "\u279c " + detail, cause, true);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
