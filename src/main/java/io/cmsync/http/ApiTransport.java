package io.cmsync.http;

/** Sends one request and returns the response; throws {@link java.io.IOException}-like failures as {@link ApiIoException}. */
@FunctionalInterface
public interface ApiTransport {
    ApiResponse send(ApiRequest request);
}
