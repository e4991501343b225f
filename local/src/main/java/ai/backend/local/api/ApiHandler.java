package ai.backend.local.api;

/** An endpoint's logic; throws {@link Problem} for API errors. */
@FunctionalInterface
public interface ApiHandler {
    void handle(ApiContext api) throws Exception;
}
