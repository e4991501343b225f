package ai.backend.client;

/**
 * The root of every exception the SDK throws. Unchecked, like the Python SDK's {@code BackendError}.
 *
 * <p>{@link #isRetryable()} tells whether repeating the same call later may succeed (a server that is
 * down or busy), as opposed to a call that will fail the same way again (a bad parameter, a wrong key).
 */
public abstract class BackendError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected BackendError(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed if repeated later. */
    public abstract boolean isRetryable();
}
