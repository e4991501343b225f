package ai.backend.client.kernel;

/**
 * Receives the results of a run driven by {@link Kernel#run} and answers its input prompts. Called on the
 * thread that called {@code run}.
 */
public interface ExecutionListener {
    /** Called for every result, in order, including the last. */
    void onResult(ExecutionResult result);

    /**
     * Called when the program waits for input ({@code result.isPasswordPrompt()} tells whether to hide it).
     *
     * @return one line of input without its newline
     */
    default String onInputRequested(ExecutionResult result) {
        throw new IllegalStateException("The program asked for input, but this listener provides none");
    }
}
