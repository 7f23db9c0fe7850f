package dev.plugai.core.attachments;

import java.util.Optional;

/**
 * An image attachment as a request gives it, before anything is fetched or decoded: exactly one of an
 * {@code http(s)} URL the server fetches, or inline data (bare base64 or a {@code data:image/...;base64,} URL).
 *
 * @param url  the image's URL, or empty
 * @param data the image inline, or empty
 */
public record AttachmentSource(Optional<String> url, Optional<String> data) {

    public static AttachmentSource ofUrl(String url) {
        return new AttachmentSource(Optional.of(url), Optional.empty());
    }

    public static AttachmentSource inline(String data) {
        return new AttachmentSource(Optional.empty(), Optional.of(data));
    }
}
