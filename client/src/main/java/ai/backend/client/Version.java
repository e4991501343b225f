package ai.backend.client;

/** Version constants of this SDK and of the API it speaks. */
public final class Version {
    /** This SDK's version. */
    public static final String CLIENT_VERSION = "0.1.0";
    /** The API version sent in {@code X-BackendAI-Version} by default. */
    public static final String API_VERSION = "v4.20190315";

    private Version() {
    }
}
