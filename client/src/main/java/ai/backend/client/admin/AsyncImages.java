package ai.backend.client.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The images a manager knows, and their aliases. For an {@code AsyncSession} ({@code asyncSession.images()}): the calls of
 * {@link Images}, without blocking. Futures complete on an SDK thread, or fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError} (read timeout
 * included); cancelling one abandons the wait, not the request. Invalid arguments throw at once.
 */
public final class AsyncImages {
    private final AsyncAdmin admin;

    public AsyncImages(AsyncAdmin admin) {
        this.admin = admin;
    }

    /** The images the manager knows. */
    public CompletableFuture<List<ImageInfo>> list() {
        return list(ImageCalls.DEFAULT_FIELDS);
    }

    /** The images, with only {@code fields} selected (Python's {@code fields=}; 19.03's default is name, tag, hash). */
    public CompletableFuture<List<ImageInfo>> list(List<String> fields) {
        return admin.run(ImageCalls.list(fields));
    }

    /** Re-reads the image metadata of {@code registry}, of every registry when null. */
    public CompletableFuture<MutationResult> rescanImages(String registry) {
        return admin.run(ImageCalls.rescan(registry));
    }

    /** Points {@code alias} at the image reference {@code target} (the manager does not check the target). */
    public CompletableFuture<MutationResult> aliasImage(String alias, String target) {
        return admin.run(ImageCalls.alias(alias, target));
    }

    /** Removes {@code alias}. */
    public CompletableFuture<MutationResult> dealiasImage(String alias) {
        return admin.run(ImageCalls.dealias(alias));
    }
}
