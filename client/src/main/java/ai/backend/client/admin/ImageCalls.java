package ai.backend.client.admin;

import static ai.backend.client.admin.GraphQLCall.vars;

import java.util.List;

/** The GraphQL documents of the Image family (protocol §7.3), shared by {@link Images} and {@link AsyncImages}. */
final class ImageCalls {
    static final List<String> DEFAULT_FIELDS = List.of("name", "tag", "registry", "digest", "size_bytes", "aliases",
            "installed");

    private ImageCalls() {
    }

    static GraphQLCall<List<ImageInfo>> list(List<String> fields) {
        return new GraphQLCall<>("query { images { " + GraphQLCall.selection(fields) + " } }", null,
                d -> GraphQLCall.list(d.path("images"), ImageInfo::fromJson));
    }

    static GraphQLCall<MutationResult> rescan(String registry) {
        return MutationResult.call("mutation($registry: String) { rescan_images(registry:$registry) { ok msg } }",
                vars("registry", registry), "rescan_images");
    }

    static GraphQLCall<MutationResult> alias(String alias, String target) {
        return MutationResult.call("mutation($alias: String!, $target: String!) { alias_image(alias: $alias,"
                + " target: $target) { ok msg } }", vars("alias", KeyPairCalls.requireText(alias, "alias"),
                "target", KeyPairCalls.requireText(target, "target image")), "alias_image");
    }

    static GraphQLCall<MutationResult> dealias(String alias) {
        return MutationResult.call("mutation($alias: String!) { dealias_image(alias: $alias) { ok msg } }",
                vars("alias", KeyPairCalls.requireText(alias, "alias")), "dealias_image");
    }
}
