package ai.backend.client.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Fetches every page of a {@code *_list} query, blocking or chained. */
final class PageCalls {
    /** The page size of the {@code listAll} helpers. */
    static final int PAGE_SIZE = 50;

    private PageCalls() {
    }

    static <T> List<T> all(IntFunction<Page<T>> pageAt) {
        List<T> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE_SIZE) {
            Page<T> page = pageAt.apply(offset);
            all.addAll(page.items());
            if (!page.hasMoreAfter(offset)) {
                return List.copyOf(all);
            }
        }
    }

    static <T> CompletableFuture<List<T>> allAsync(IntFunction<CompletableFuture<Page<T>>> pageAt) {
        return collect(pageAt, 0, new ArrayList<>()).thenApply(List::copyOf);
    }

    private static <T> CompletableFuture<List<T>> collect(IntFunction<CompletableFuture<Page<T>>> pageAt, int offset,
                                                          List<T> sofar) {
        return pageAt.apply(offset).thenCompose(page -> {
            sofar.addAll(page.items());
            return page.hasMoreAfter(offset) ? collect(pageAt, offset + PAGE_SIZE, sofar)
                    : CompletableFuture.completedFuture(sofar);
        });
    }

    static <T> Function<com.fasterxml.jackson.databind.JsonNode, Page<T>> parser(String field,
            Function<com.fasterxml.jackson.databind.JsonNode, T> item) {
        return d -> {
            var list = d.path(field);
            return new Page<>(GraphQLCall.list(list.path("items"), item), list.path("total_count").asInt());
        };
    }
}
