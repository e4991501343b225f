package ai.backend.local.agent;

/** The agent could not carry out an operation on a session (start, execute, ...). */
public class KernelFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean timeout;

    public KernelFailure(String message, Throwable cause) {
        this(message, cause, false);
    }

    private KernelFailure(String message, Throwable cause, boolean timeout) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** The session did not answer in time (the manager reports this as {@code agent-timeout}). */
    public static KernelFailure timeout() {
        return new KernelFailure("The session did not answer in time.", null, true);
    }

    public boolean isTimeout() {
        return timeout;
    }
}
