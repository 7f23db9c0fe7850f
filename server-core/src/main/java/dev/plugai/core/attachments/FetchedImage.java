package dev.plugai.core.attachments;

import java.util.Base64;
import java.util.Objects;

/**
 * An attachment image whose bytes were checked to really be PNG, JPEG, WebP or GIF.
 *
 * @param bytes     the image, at most the fetcher's byte cap
 * @param mediaType {@code image/png}, {@code image/jpeg}, {@code image/webp} or {@code image/gif}, from the magic bytes
 * @param finalUrl  the URL the bytes came from after redirects, or {@code null} for inline (base64) data
 */
public record FetchedImage(byte[] bytes, String mediaType, String finalUrl) {

    public FetchedImage {
        // Copied in and out: a record holding an array would otherwise be mutable from outside.
        bytes = Objects.requireNonNull(bytes, "bytes").clone();
        Objects.requireNonNull(mediaType, "mediaType");
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes in standard base64, made from the record's own array (no copy of a large image first). */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
