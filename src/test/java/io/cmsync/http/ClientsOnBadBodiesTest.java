package io.cmsync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;

/**
 * The clients on bodies the sandbox cannot produce: truncated, not JSON, HTML error pages, wrong shapes, nulls and
 * unexpected fields. Either a usable result or a clear {@link ApiException} naming the side and endpoint; never a
 * NullPointerException or a Jackson message.
 */
class ClientsOnBadBodiesTest {
    static List<String> bodies() {
        return List.of(
                "",
                "   ",
                "null",
                "[",
                "{",
                "{\"members\": [{\"email_address\": \"a@exemple.fr\", \"status\": \"subscr",
                "[{\"id\": 1, \"emails\": [{\"email\": \"a@exemple.fr\"",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
                "Service Unavailable",
                "\uFEFF{}",
                "true",
                "42",
                "\"just a string\"",
                "[]",
                "{}",
                "[null, 1, \"x\", []]",
                "{\"members\": null, \"total_items\": null}",
                "{\"members\": {\"not\": \"an array\"}, \"total_items\": \"many\"}",
                "{\"members\": [null, 1, {\"email_address\": null}, {\"merge_fields\": [1,2]}, {\"tags\": \"x\"}]}",
                "[{\"id\": null}, {\"id\": \"abc\", \"emails\": \"x\"}, {\"emails\": [null, {\"email\": null}]}, "
                        + "{\"id\": 2, \"tags\": [null, 3], \"first_name\": {\"a\": 1}, \"date_modified\": \"yesterday\"}]",
                "{\"errors\": [null, {\"email_address\": null}], \"new_members\": 5}",
                "{\"id\": \"abc\", \"unexpected\": {\"deep\": [1, 2, 3]}}",
                "\u0000\u0001binary",
                "{\"a\": \"" + "x".repeat(10_000));
    }

    private static final int[] STATUSES = {200, 400, 422, 500};

    private static RetryingCaller caller(String side, int status, String body) {
        ApiTransport t = r -> new ApiResponse(status, body, Map.of("content-type", "application/json"));
        return new RetryingCaller(side, t, 1, Duration.ZERO, Duration.ZERO, RateLimiter.unlimited(), ms -> { });
    }

    private static void clear(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.getMessage()).isNotBlank()
                    .doesNotContain("com.fasterxml", "Unexpected end-of-input", "Cannot deserialize", "line: ", "column: ")
                    .matches("(?s)(Copper|Mailchimp) .*");
            assertThat(e.getMessage().length()).isLessThan(400);
        }
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void copperClientEitherCopesOrRaisesAClearApiException(String body) {
        for (int status : STATUSES) {
            CopperClient c = new CopperClient(caller("Copper", status, body), RateLimiter.unlimited());
            Consumer<Runnable> check = call -> assertThatCode(() -> clear(call)).as("status %d body %s", status, body)
                    .doesNotThrowAnyException();
            check.accept(() -> c.searchPage(null, 1, 200).forEach(CopperMapping::toContact));
            check.accept(() -> c.bulkCreate(List.of(Map.of("name", "A"), Map.of("name", "B"))));
            check.accept(() -> c.bulkUpdate(List.of(Map.of("id", 1))));
            check.accept(() -> c.fetchByEmail("a@exemple.fr"));
            check.accept(c::account);
        }
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void mailchimpClientEitherCopesOrRaisesAClearApiException(String body) {
        for (int status : STATUSES) {
            MailchimpClient c = new MailchimpClient(caller("Mailchimp", status, body), "list1");
            Consumer<Runnable> check = call -> assertThatCode(() -> clear(call)).as("status %d body %s", status, body)
                    .doesNotThrowAnyException();
            check.accept(() -> c.membersPage(0, 1000, null, null).members().forEach(MailchimpMapping::toContact));
            check.accept(() -> c.batchSubscribe(List.of(Map.of("email_address", "a@exemple.fr"))));
            check.accept(() -> c.updateMember("a@exemple.fr", "subscribed", "A", "B"));
            check.accept(c::tagSegments);
            check.accept(() -> c.createTag("vip", List.of("a@exemple.fr")));
            check.accept(() -> c.updateTag(1, List.of("a@exemple.fr"), List.of()));
            check.accept(c::list);
            check.accept(c::ping);
        }
    }
}
