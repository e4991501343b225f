package ai.backend.client.kernel;

/**
 * A service a session offers (for example jupyter): protocol {@code tcp}, {@code http} or {@code pty}; reach it with
 * {@link Kernel#proxyApp}. {@code hostPort} is 0 when the server reports none (the local server starts services on
 * first use).
 */
public record ServicePort(String name, String protocol, int containerPort, int hostPort) {
}
