package dev.plugai.core.backends;

import java.util.Objects;
import java.util.Set;

/**
 * An image that goes to a model with a message, already checked to be an image by its bytes.
 *
 * <p>Held as base64 because that is what every provider's wire format carries; it is made once per request.
 *
 * @param mediaType {@code image/png}, {@code image/jpeg}, {@code image/webp} or {@code image/gif}
 * @param base64    the image's bytes in standard base64, without a {@code data:} prefix
 */
public record ImageInput(String mediaType, String base64) {

    private static final Set<String> MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/webp", "image/gif");

    public ImageInput {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(base64, "base64");
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw new IllegalArgumentException("not an image media type: " + mediaType);
        }
    }

    /** The image as a {@code data:} URL, as OpenAI's {@code image_url} takes it. */
    public String dataUrl() {
        return "data:" + mediaType + ";base64," + base64;
    }

    /** Keeps the (large) data out of logs and exception messages. */
    @Override
    public String toString() {
        return "ImageInput[" + mediaType + ", " + base64.length() + " base64 chars]";
    }
}
