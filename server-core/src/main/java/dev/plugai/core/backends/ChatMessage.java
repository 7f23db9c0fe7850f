package dev.plugai.core.backends;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One turn of a conversation.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the text
 * @param images  images that go with the text (user turns only), in order
 */
public record ChatMessage(String role, String content, List<ImageInput> images) {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        images = List.copyOf(images);
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be system, user or assistant");
        }
        if (!images.isEmpty() && !role.equals("user")) {
            throw new IllegalArgumentException("only user turns carry images");
        }
    }

    /** Whether {@code role} is one a turn may have. */
    public static boolean isRole(String role) {
        return ROLES.contains(role);
    }

    /** A text-only turn. */
    public ChatMessage(String role, String content) {
        this(role, content, List.of());
    }

    /** This turn with {@code more} images after its own. */
    public ChatMessage withImages(List<ImageInput> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<ImageInput> all = new ArrayList<>(images);
        all.addAll(more);
        return new ChatMessage(role, content, all);
    }
}
