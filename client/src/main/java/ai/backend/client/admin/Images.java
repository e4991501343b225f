package ai.backend.client.admin;

import java.util.List;

/**
 * The Image family of the Python SDK (§4.7): {@code session.images()}, with its camelCase method names. Each call
 * is one {@code POST /admin/graphql}, blocking up to the connect plus read timeout. The mutations are for admin
 * keys; a refused one comes back with {@code ok} false and the manager's message.
 */
public final class Images {
    private final Admin admin;

    public Images(Admin admin) {
        this.admin = admin;
    }

    /** The images the manager knows. */
    public List<ImageInfo> list() {
        return list(ImageCalls.DEFAULT_FIELDS);
    }

    /** The images, with only {@code fields} selected (Python's {@code fields=}; 19.03's default is name, tag, hash). */
    public List<ImageInfo> list(List<String> fields) {
        return admin.run(ImageCalls.list(fields));
    }

    /** Re-reads the image metadata of {@code registry}, of every registry when null. */
    public MutationResult rescanImages(String registry) {
        return admin.run(ImageCalls.rescan(registry));
    }

    /** Points {@code alias} at the image reference {@code target} (the manager does not check the target). */
    public MutationResult aliasImage(String alias, String target) {
        return admin.run(ImageCalls.alias(alias, target));
    }

    /** Removes {@code alias}. */
    public MutationResult dealiasImage(String alias) {
        return admin.run(ImageCalls.dealias(alias));
    }
}
