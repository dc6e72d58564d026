/**
 * What the gateway lets through as a media reference, and where it lets itself connect.
 *
 * <p>Two entry points:
 * <ul>
 *   <li>{@link com.runwayrelay.domain.media.MediaUriPolicy} judges a media URI an app put in a
 *       request ({@code promptImage}, {@code videoUri}, ...): {@code https://} from allowlisted
 *       hosts that resolve only to public addresses, {@code runway://} upload URIs, and
 *       size-capped base64 {@code data:} URIs of the field's media type.</li>
 *   <li>{@link com.runwayrelay.domain.media.AddressGuard} vets an outbound connection the gateway
 *       makes itself (archiver downloads, webhook deliveries): it resolves the host once, rejects
 *       the target if any address is not public, and hands back the address to connect to, so a
 *       second DNS answer can never redirect the connection.</li>
 * </ul>
 * Both classify addresses the same way ({@link com.runwayrelay.domain.media.AddressClass}) with
 * explicit IPv4 and IPv6 ranges rather than {@code InetAddress.isSiteLocalAddress()}, which misses
 * CGNAT, unique-local IPv6 and addresses embedded in IPv6 transition forms. DNS goes through the
 * {@link com.runwayrelay.domain.media.HostResolver} port so tests never touch the network.
 */
package com.runwayrelay.domain.media;
