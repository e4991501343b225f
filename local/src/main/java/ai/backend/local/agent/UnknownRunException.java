package ai.backend.local.agent;

/** A continue or input call named a run that is not the session's current one, or one not waiting for input. */
public class UnknownRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownRunException(String message) {
        super(message);
    }
}
