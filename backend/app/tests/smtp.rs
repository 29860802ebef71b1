#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The SMTP mailer speaks real SMTP: a minimal server on a random port
//! receives the message.

use mezha_app::messaging::{Mail, Mailer, SmtpMailer, SmtpSettings};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

async fn fake_smtp(listener: TcpListener) -> String {
    let (socket, _) = listener.accept().await.unwrap();
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
    let mut data = String::new();
    let mut in_data = false;
    while let Some(line) = lines.next_line().await.unwrap() {
        if in_data {
            if line == "." {
                in_data = false;
                write.write_all(b"250 queued\r\n").await.unwrap();
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => write
                .write_all(b"250-fake\r\n250 8BITMIME\r\n")
                .await
                .unwrap(),
            "DATA" => {
                in_data = true;
                write.write_all(b"354 go ahead\r\n").await.unwrap();
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => write.write_all(b"250 ok\r\n").await.unwrap(),
        }
    }
    data
}

#[tokio::test]
async fn sends_through_smtp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(fake_smtp(listener));
    let mailer = SmtpMailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: "none".into(),
        username: None,
        password: None,
        from: "Mezha <no-reply@mezha.test>".into(),
    })
    .unwrap();
    mailer
        .send(Mail {
            to: "anna@example.ru".into(),
            subject: "Confirm".into(),
            body: "Open http://x/confirm-email?token=abc".into(),
            html: None,
        })
        .await
        .unwrap();
    drop(mailer);
    let data = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap();
    assert!(data.contains("To: anna@example.ru"), "{data}");
    assert!(data.contains("Subject: Confirm"), "{data}");
    assert!(data.contains("token=abc"), "{data}");
}
