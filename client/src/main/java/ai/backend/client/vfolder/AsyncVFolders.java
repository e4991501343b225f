package ai.backend.client.vfolder;

import ai.backend.client.TransferListener;
import ai.backend.client.internal.HttpEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The virtual folder functions of an {@code AsyncSession}: the calls of {@link VFolders}, each run on an
 * SDK thread and returned as a future that fails with the same exceptions. Cancelling a future does not
 * stop a transfer already under way.
 */
public final class AsyncVFolders {
    private final VFolders blocking;
    private final HttpEngine engine;

    public AsyncVFolders(HttpEngine engine) {
        this.engine = engine;
        this.blocking = new VFolders(engine);
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, engine.executor());
    }

    public CompletableFuture<VFolderInfo> create(String name, String host) {
        return async(() -> blocking.create(name, host));
    }

    public CompletableFuture<List<VFolderInfo>> list() {
        return async(blocking::list);
    }

    public CompletableFuture<VFolderHosts> listHosts() {
        return async(blocking::listHosts);
    }

    public CompletableFuture<VFolderInfo> info(String name) {
        return async(() -> blocking.info(name));
    }

    public CompletableFuture<Void> delete(String name) {
        return async(() -> {
            blocking.delete(name);
            return null;
        });
    }

    public CompletableFuture<Void> rename(String name, String newName) {
        return async(() -> {
            blocking.rename(name, newName);
            return null;
        });
    }

    public CompletableFuture<Void> mkdir(String name, String dir) {
        return async(() -> {
            blocking.mkdir(name, dir);
            return null;
        });
    }

    public CompletableFuture<Void> upload(String name, List<Path> files, Path baseDir, TransferListener listener) {
        return async(() -> {
            blocking.upload(name, files, baseDir, listener);
            return null;
        });
    }

    public CompletableFuture<Void> deleteFiles(String name, List<String> files, boolean recursive) {
        return async(() -> {
            blocking.deleteFiles(name, files, recursive);
            return null;
        });
    }

    public CompletableFuture<List<Path>> download(String name, List<String> files, Path destDir, TransferListener listener) {
        return async(() -> blocking.download(name, files, destDir, listener));
    }

    public CompletableFuture<List<FileEntry>> listFiles(String name, String dir) {
        return async(() -> blocking.listFiles(name, dir));
    }

    public CompletableFuture<List<String>> invite(String name, String permission, List<String> userIds) {
        return async(() -> blocking.invite(name, permission, userIds));
    }

    public CompletableFuture<List<Invitation>> invitations() {
        return async(blocking::invitations);
    }

    public CompletableFuture<Void> acceptInvitation(String invitationId, String accessKey) {
        return async(() -> {
            blocking.acceptInvitation(invitationId, accessKey);
            return null;
        });
    }

    public CompletableFuture<Void> deleteInvitation(String invitationId) {
        return async(() -> {
            blocking.deleteInvitation(invitationId);
            return null;
        });
    }
}
