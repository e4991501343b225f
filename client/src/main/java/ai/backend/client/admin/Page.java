package ai.backend.client.admin;

import java.util.List;

/** One page of a paginated list and the total number of items. */
public record Page<T>(List<T> items, int totalCount) {
    public Page {
        items = List.copyOf(items);
    }
}
