fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let which = std::env::args().nth(2).unwrap();
    let text = match which.as_str() {
        "open" => "“".repeat(n),
        "close" => "”".repeat(n),
        "mixed" => "“a” ‘b’ \"c\" ’ ‘ ” “ ".repeat(n),
        "huge" => "“Quote here,” Okafor said. ".repeat(n),
        "unbalanced" => "Okafor said: “one ‘two “three ‘four ".repeat(n),
        "apos" => "don’t it’s ’90s rock ’n’ roll O’Neill’s workers’ ".repeat(n),
        "names" => "Sen. Dr. Mr. Okafor Lindqvist Varga-Holm, ".repeat(n),
        _ => panic!(),
    };
    let t = std::time::Instant::now();
    let a = quoth::article::parse_plain(std::path::Path::new("x"), &text);
    let q = quoth::quote::extract(&a);
    println!("{which} {n}: {} quotes in {:?}", q.len(), t.elapsed());
}
