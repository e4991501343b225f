package ai.backend.client.kernel;

/** A service a session offers (for example jupyter): protocol {@code tcp}, {@code http} or {@code pty}. */
public record ServicePort(String name, String protocol, int containerPort, int hostPort) {
}
