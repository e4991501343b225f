package ai.backend.client.admin;

import java.util.List;

/** One page of a paginated list ({@code items} and {@code total_count} of a GraphQL {@code *_list} query). */
public record Page<T>(List<T> items, int totalCount) {
    public Page {
        items = List.copyOf(items);
    }

    /** Whether items remain after this page, which started at {@code offset}. */
    public boolean hasMoreAfter(int offset) {
        return !items.isEmpty() && offset + items.size() < totalCount;
    }
}
