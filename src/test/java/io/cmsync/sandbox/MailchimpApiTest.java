package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MailchimpApiTest extends SandboxTestSupport {

    static String hash(String email) {
        return Http.md5(email.trim().toLowerCase());
    }

    @Test
    void authFailures() throws Exception {
        Res missing = send("GET", server.mailchimpBaseUrl() + "/ping", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("title").asText()).isEqualTo("API Key Missing");
        assertThat(missing.json().get("detail").asText()).isEqualTo("Your request did not include an API key.");
        assertThat(missing.json().get("instance").asText()).isEqualTo(missing.header("X-Request-Id"));
        Res wrong = send("GET", server.mailchimpBaseUrl() + "/ping", null, "Authorization", "Bearer wrong-us1");
        assertThat(wrong.json().get("title").asText()).isEqualTo("API Key Invalid");
        Res bearer = send("GET", server.mailchimpBaseUrl() + "/ping", null, "Authorization", "Bearer " + SandboxServer.MAILCHIMP_API_KEY);
        assertThat(bearer.json().get("health_status").asText()).isEqualTo("Everything's Chimpy!");
    }

    @Test
    void listInfoAndMembersPaging() throws Exception {
        Res l = mc("GET", list(""), null);
        assertThat(l.json().get("subscribe_url_long").asText())
                .isEqualTo("https://sandbox.us1.list-manage.com/subscribe?u=0123456789abcdef01234567&id=" + SandboxServer.LIST_ID);
        assertThat(l.json().get("stats").get("member_count").asInt()).isGreaterThan(5);
        Res p1 = mc("GET", list("/members?count=10&offset=0"), null);
        int total = p1.json().get("total_items").asInt();
        assertThat(p1.json().get("members")).hasSize(10);
        List<String> seen = new ArrayList<>();
        for (int off = 0; off < total; off += 10) {
            mc("GET", list("/members?count=10&offset=" + off), null).json().get("members")
                    .forEach(m -> seen.add(m.get("email_address").asText()));
        }
        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        // archived excluded by default, listed with status=archived
        assertThat(seen).doesNotContain("sylvie.simon@exemple.fr");
        Res archived = mc("GET", list("/members?status=archived"), null);
        assertThat(archived.json().get("members").toString()).contains("sylvie.simon@exemple.fr");
        assertThat(mc("GET", list("/members?count=1001"), null).status()).isEqualTo(400);
        assertThat(mc("GET", "/lists/0000000000/members", null).status()).isEqualTo(404);
    }

    @Test
    void fieldsFilteringAndSinceLastChanged() throws Exception {
        Res r = mc("GET", list("/members?fields=members.email_address,members.merge_fields.FNAME,total_items&count=3"), null);
        JsonNode m0 = r.json().get("members").get(0);
        assertThat(r.json().has("list_id")).isFalse();
        assertThat(r.json().has("total_items")).isTrue();
        assertThat(m0.size()).isEqualTo(2);
        assertThat(m0.get("merge_fields").has("LNAME")).isFalse();
        Res ex = mc("GET", list("/members?exclude_fields=members._links,members.stats,_links&count=2"), null);
        assertThat(ex.json().get("members").get(0).has("stats")).isFalse();
        assertThat(ex.json().get("members").get(0).has("email_address")).isTrue();
        // since_last_changed: touch one member and read changes since now
        String now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).minusSeconds(1).toString();
        mc("PATCH", list("/members/" + hash("lucas.petit@exemple.fr")), "{\"merge_fields\":{\"FNAME\":\"Luc\"}}");
        Res changed = mc("GET", list("/members?since_last_changed=" + java.net.URLEncoder.encode(now, java.nio.charset.StandardCharsets.UTF_8)), null);
        assertThat(changed.json().get("total_items").asInt()).isEqualTo(1);
        assertThat(changed.json().get("members").get(0).get("merge_fields").get("FNAME").asText()).isEqualTo("Luc");
    }

    @Test
    void putUpsertSemantics() throws Exception {
        // new member needs status_if_new
        Res noStatus = mc("PUT", list("/members/" + hash("new1@exemple.fr")), "{\"email_address\":\"new1@exemple.fr\"}");
        assertThat(noStatus.status()).isEqualTo(400);
        Res created = mc("PUT", list("/members/" + hash("new1@exemple.fr")),
                "{\"email_address\":\"new1@exemple.fr\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Noé\",\"LNAME\":\"Neuf\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("status").asText()).isEqualTo("subscribed");
        assertThat(created.json().get("id").asText()).isEqualTo(hash("new1@exemple.fr"));
        // existing unsubscribed: status_if_new ignored
        Res unsub = mc("PUT", list("/members/claire.robin@exemple.fr"),
                "{\"email_address\":\"claire.robin@exemple.fr\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Claire-A\"}}");
        assertThat(unsub.json().get("status").asText()).isEqualTo("unsubscribed");
        assertThat(unsub.json().get("merge_fields").get("FNAME").asText()).isEqualTo("Claire-A");
        // compliance
        Res comp = mc("PUT", list("/members/" + hash("claire.robin@exemple.fr")),
                "{\"email_address\":\"claire.robin@exemple.fr\",\"status\":\"subscribed\"}");
        assertThat(comp.status()).isEqualTo(400);
        assertThat(comp.json().get("title").asText()).isEqualTo("Member In Compliance State");
        assertThat(comp.json().get("detail").asText()).isEqualTo("claire.robin@exemple.fr is in a compliance state due to "
                + "unsubscribe, bounce, or compliance review and cannot be subscribed.");
        Res cleaned = mc("PATCH", list("/members/" + hash("bruno.morel@exemple.fr")), "{\"status\":\"subscribed\"}");
        assertThat(cleaned.json().get("title").asText()).isEqualTo("Member In Compliance State");
        // archived stays archived with status_if_new, unarchived with status
        Res arch = mc("PUT", list("/members/" + hash("sylvie.simon@exemple.fr")),
                "{\"email_address\":\"sylvie.simon@exemple.fr\",\"status_if_new\":\"subscribed\"}");
        assertThat(arch.json().get("status").asText()).isEqualTo("archived");
        Res unarch = mc("PUT", list("/members/" + hash("sylvie.simon@exemple.fr")),
                "{\"email_address\":\"sylvie.simon@exemple.fr\",\"status\":\"subscribed\",\"status_if_new\":\"subscribed\"}");
        assertThat(unarch.json().get("status").asText()).isEqualTo("subscribed");
        // forgotten
        Res forgotten = mc("PUT", list("/members/" + hash("oublie.definitif@exemple.fr")),
                "{\"email_address\":\"oublie.definitif@exemple.fr\",\"status_if_new\":\"pending\"}");
        assertThat(forgotten.status()).isEqualTo(400);
        assertThat(forgotten.json().get("title").asText()).isEqualTo("Forgotten Email Not Subscribed");
        assertThat(forgotten.json().get("detail").asText()).isEqualTo("oublie.definitif@exemple.fr was permanently deleted and "
                + "cannot be re-imported. The contact must re-subscribe to get back on the list.");
        assertThat(mc("GET", list("/members/" + hash("oublie.definitif@exemple.fr")), null).status()).isEqualTo(404);
        // PATCH unknown
        assertThat(mc("PATCH", list("/members/" + hash("nobody@exemple.fr")), "{\"status\":\"subscribed\"}").status()).isEqualTo(404);
        // truncation to 255 bytes
        String longName = "é".repeat(200);
        Res trunc = mc("PATCH", list("/members/" + hash("new1@exemple.fr")), "{\"merge_fields\":{\"LNAME\":\"" + longName + "\"}}");
        assertThat(trunc.json().get("merge_fields").get("LNAME").asText()).hasSize(127);
    }

    @Test
    void postCreateAndDeleteRules() throws Exception {
        Res exists = mc("POST", list("/members"), "{\"email_address\":\"lucas.petit@exemple.fr\",\"status\":\"subscribed\"}");
        assertThat(exists.json().get("title").asText()).isEqualTo("Member Exists");
        assertThat(exists.json().get("detail").asText())
                .isEqualTo("lucas.petit@exemple.fr is already a list member. Use PUT to insert or update list members.");
        Res fake = mc("POST", list("/members"), "{\"email_address\":\"foo@example.com\",\"status\":\"subscribed\"}");
        assertThat(fake.json().get("title").asText()).isEqualTo("Invalid Resource");
        assertThat(fake.json().get("detail").asText()).isEqualTo("foo@example.com looks fake or invalid, please enter a real email address.");
        Res ok = mc("POST", list("/members"), "{\"email_address\":\"nouveau@exemple.com\",\"status\":\"pending\",\"tags\":[\"VIP\"]}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("tags").get(0).get("name").asText()).isEqualTo("VIP");
        // DELETE archives subscribed, 405 for pending
        Res del = mc("DELETE", list("/members/" + hash("lucas.petit@exemple.fr")), null);
        assertThat(del.status()).isEqualTo(204);
        assertThat(mc("GET", list("/members/" + hash("lucas.petit@exemple.fr")), null).json().get("status").asText()).isEqualTo("archived");
        Res pend = mc("DELETE", list("/members/" + hash("manon.henry@exemple.fr")), null);
        assertThat(pend.status()).isEqualTo(405);
        assertThat(pend.header("Allow")).isEqualTo("GET, PUT");
    }

    @Test
    void deletePermanent() throws Exception {
        String h = hash("thomas.blanc@exemple.fr");
        assertThat(mc("POST", list("/members/" + h + "/actions/delete-permanent"), null).status()).isEqualTo(204);
        assertThat(mc("GET", list("/members/" + h), null).status()).isEqualTo(404);
        Res again = mc("POST", list("/members"), "{\"email_address\":\"thomas.blanc@exemple.fr\",\"status\":\"subscribed\"}");
        assertThat(again.json().get("title").asText()).isEqualTo("Forgotten Email Not Subscribed");
        assertThat(server.dump().toString()).contains("\"forgotten\":[\"oublie.definitif@exemple.fr\",\"thomas.blanc@exemple.fr\"]");
    }

    @Test
    void batchSubscribePartialFailure() throws Exception {
        String body = "{\"update_existing\":false,\"members\":["
                + "{\"email_address\":\"batch1@exemple.fr\",\"status\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"B\"},\"tags\":[\"Import\"]},"
                + "{\"email_address\":\"lucas.petit@exemple.fr\",\"status\":\"subscribed\"},"
                + "{\"email_address\":\"oublie.definitif@exemple.fr\",\"status\":\"subscribed\"},"
                + "{\"email_address\":\"bad-address\",\"status\":\"subscribed\"}]}";
        Res r = mc("POST", list(""), body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("total_created").asInt()).isEqualTo(1);
        assertThat(r.json().get("error_count").asInt()).isEqualTo(3);
        JsonNode errors = r.json().get("errors");
        assertThat(errors.get(0).get("error_code").asText()).isEqualTo("ERROR_CONTACT_EXISTS");
        assertThat(errors.get(1).get("error").asText()).contains("was permanently deleted");
        assertThat(errors.get(1).get("error_code").asText()).isEqualTo("ERROR_GENERIC");
        assertThat(r.json().get("new_members").get(0).get("tags").get(0).get("name").asText()).isEqualTo("Import");
        Res upd = mc("POST", list(""), "{\"update_existing\":true,\"members\":[{\"email_address\":\"lucas.petit@exemple.fr\","
                + "\"merge_fields\":{\"LNAME\":\"Petit-Grand\"}},{\"email_address\":\"claire.robin@exemple.fr\",\"status\":\"subscribed\"}]}");
        assertThat(upd.json().get("total_updated").asInt()).isEqualTo(1);
        assertThat(upd.json().get("errors").get(0).get("error").asText()).contains("compliance state");
        StringBuilder sb = new StringBuilder("{\"members\":[");
        for (int i = 0; i < 501; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"email_address\":\"x").append(i).append("@exemple.fr\",\"status\":\"subscribed\"}");
        }
        assertThat(mc("POST", list(""), sb.append("]}").toString()).status()).isEqualTo(400);
    }

    @Test
    void tagsAndSegmentsAreTheSameData() throws Exception {
        String h = hash("lucas.petit@exemple.fr");
        Res noWrapper = mc("POST", list("/members/" + h + "/tags"), "[{\"name\":\"Oops\",\"status\":\"active\"}]");
        assertThat(noWrapper.status()).isIn(204, 400);
        assertThat(mc("POST", list("/members/" + h + "/tags"), "{\"name\":\"Oops\"}").status()).isEqualTo(204);
        assertThat(mc("POST", list("/members/" + h + "/tags"),
                "{\"tags\":[{\"name\":\"Copper: client\",\"status\":\"active\"}],\"is_syncing\":true}").status()).isEqualTo(204);
        Res tags = mc("GET", list("/members/" + h + "/tags"), null);
        assertThat(tags.json().get("tags").get(0).get("name").asText()).isEqualTo("Copper: client");
        int tagId = tags.json().get("tags").get(0).get("id").asInt();
        Res seg = mc("GET", list("/segments/" + tagId), null);
        assertThat(seg.json().get("name").asText()).isEqualTo("Copper: client");
        assertThat(seg.json().get("member_count").asInt()).isEqualTo(1);
        Res search = mc("GET", list("/tag-search?name=copper"), null);
        assertThat(search.json().get("tags").get(0).get("id").asInt()).isEqualTo(tagId);
        // static segment creation = tag
        Res created = mc("POST", list("/segments"), "{\"name\":\"Salon 2025\",\"static_segment\":[\"test1@exemple.fr\",\"unknown@exemple.fr\"]}");
        int segId = created.json().get("id").asInt();
        assertThat(created.json().get("type").asText()).isEqualTo("static");
        assertThat(mc("GET", list("/members/" + hash("test1@exemple.fr")), null).json().get("tags").toString()).contains("Salon 2025");
        Res batch = mc("POST", list("/segments/" + segId), "{\"members_to_add\":[\"lucas.petit@exemple.fr\",\"nobody@exemple.fr\"],"
                + "\"members_to_remove\":[\"test1@exemple.fr\"]}");
        assertThat(batch.json().get("total_added").asInt()).isEqualTo(1);
        assertThat(batch.json().get("total_removed").asInt()).isEqualTo(1);
        assertThat(batch.json().get("error_count").asInt()).isEqualTo(1);
        Res segMembers = mc("GET", list("/segments/" + segId + "/members"), null);
        assertThat(segMembers.json().get("total_items").asInt()).isEqualTo(1);
        assertThat(segMembers.json().get("members").get(0).get("email_address").asText()).isEqualTo("lucas.petit@exemple.fr");
        // deactivate through member tags: the segment empties
        mc("POST", list("/members/" + h + "/tags"), "{\"tags\":[{\"name\":\"Salon 2025\",\"status\":\"inactive\"}]}");
        assertThat(mc("GET", list("/segments/" + segId), null).json().get("member_count").asInt()).isZero();
        Res segs = mc("GET", list("/segments?type=static&count=100"), null);
        assertThat(segs.json().get("segments").toString()).contains("Webinar 2025").contains("Salon 2025");
        assertThat(mc("POST", list("/members/" + hash("nobody@exemple.fr") + "/tags"),
                "{\"tags\":[{\"name\":\"x\",\"status\":\"active\"}]}").status()).isEqualTo(404);
        Res mf = mc("GET", list("/merge-fields"), null);
        assertThat(mf.json().get("merge_fields").toString()).contains("FNAME").contains("LNAME");
    }
}
