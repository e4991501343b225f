package ai.backend.local.graphql;

/**
 * An error raised by a resolver. Its message becomes the {@code message} of the GraphQL error object
 * exactly as given (the 19.03 manager uses {@code str(exception)}).
 */
public final class ResolverError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResolverError(String message) {
        super(message);
    }

    /** What a Python {@code KeyError} for {@code key} prints, e.g. {@code 'FOO'} (an unknown enum name). */
    public static ResolverError keyError(String key) {
        return new ResolverError(PythonRepr.str(key));
    }

    /**
     * What a manager exception prints when it is raised inside a resolver: its title and extra message,
     * with the extra message repeated (protocol §7.2 quirk), e.g.
     * {@code Forbidden operation. (You can only ...) (You can only ...)}.
     */
    public static ResolverError backendError(String title, String extraMessage) {
        if (extraMessage == null || extraMessage.isEmpty()) {
            return new ResolverError(title);
        }
        return new ResolverError(title + " (" + extraMessage + ") (" + extraMessage + ")");
    }
}
