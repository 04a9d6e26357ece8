package it.semaforo.notify;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What Mailer does itself to spare CPU in a large mailing, checked against Jakarta Mail doing it:
 * a text part's transfer encoding (Jakarta Mail's own choice writes the part once more only to
 * count its bytes) for the texts a mail holds (Italian, Japanese, plain ASCII, a long paragraph
 * on one line, a control character, an emoji); and a message's Subject and Date headers, read
 * back by Jakarta Mail's parsers from a message sent to a real SMTP server.
 */
class MailerShortcutsTest {
    @Test
    void theSameChoiceAsJakartaMail() throws Exception {
        String longAscii = "Servizio sospeso per lavori. ".repeat(40);
        List<String> texts = List.of("", "Anagrafe: servizi online sospesi\nLeggi: https://stato.example.it/it/avvisi/1\n",
                "Città di Roccaverde — aggiornamento n. 2: l'anagrafe è di nuovo disponibile.\n",
                "住民票のオンライン申請は停止しています。\n再開は未定です。\n",
                "<p lang=\"ja\">住民票</p>\n<p>Read: https://stato.example.it/ja/avvisi/1</p>\n",
                longAscii, longAscii + "\n" + longAscii, "Linea\u0007con un carattere di controllo\n",
                "Avviso \uD83D\uDEA7 lavori in corso\n", "\u00e8".repeat(10) + "abcdefghijklmnopqrstu", "x\u007fy\r\n",
                ("Lunga riga con accenti: è à ò ù. ").repeat(60));
        for (String text : texts) {
            for (String subtype : List.of("plain", "html")) {
                MimeBodyPart part = new MimeBodyPart();
                part.setText(text, "UTF-8", subtype);
                assertEquals(MimeUtility.getEncoding(part.getDataHandler()), Mailer.transferEncoding(text),
                        subtype + ": " + text.substring(0, Math.min(40, text.length())));
            }
        }
    }

    @Test
    void subjectAndDateReadBack() throws Exception {
        com.icegreen.greenmail.util.GreenMail mail = MailTesting.smtp();
        try (Mailer mailer = new Mailer(new NotifySettings.Smtp("127.0.0.1", mail.getSmtp().getPort(), NotifySettings.Security.NONE,
                "", "", "Comune <avvisi@comune.example>", "", null, null))) {
            java.time.Instant at = java.time.Instant.parse("2026-12-07T09:05:03.250Z");
            List<String> subjects = List.of("Anagrafe: Sospeso — aggiornamento n. 2", "Anagrafe: Sospeso — aggiornamento n. 2",
                    "住民票: 停止 — 更新 2", "Plain ASCII subject, rather long, ".repeat(4) + "to be folded");
            for (String subject : subjects) {
                mailer.send(new Mailer.Mail("r@example.org", subject, "testo", "<p>html</p>", "<m" + subject.hashCode() + "@x>",
                        null, null, at));
            }
            var received = MailTesting.await(mail, subjects.size());
            for (int i = 0; i < subjects.size(); i++) {
                assertEquals(subjects.get(i), received.get(i).getSubject());
                assertEquals(java.util.Date.from(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), received.get(i).getSentDate());
            }
            assertEquals("Mon, 7 Dec 2026 09:05:03 +0000", received.get(0).getHeader("Date")[0]);
        } finally {
            mail.stop();
        }
    }
}
