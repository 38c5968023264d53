/**
 * Passwords that attackers try first, in lower case. `isCommonPassword` in `password-rules.ts`
 * also rejects these words followed by digits or symbols, or repeated.
 *
 * Source: the top of the list of the 100,000 passwords most used in breached accounts that the
 * NCSC published in April 2019 with Have I Been Pwned (the top 25 and the most used names,
 * football clubs, musicians and fictional characters, as the NCSC reported them), with other
 * words that commonly appear in such lists, and the name of this service. The list is
 * maintained by hand and is far shorter than the NCSC's 100,000 entries.
 */
// TODO: replace with the NCSC's full list (PwnedPasswordsTop100k, Open Government Licence
// v3.0, which requires attribution), which this short list only samples.
const LIST = `
123456 123456789 qwerty password 111111 12345678 abc123 1234567 password1 12345 1234567890
123123 000000 iloveyou 1234 1q2w3e4r5t qwertyuiop 123 monkey dragon 123456a 654321 123321 666666
1qaz2wsx 7777777 121212 112233 123654 987654321 0987654321 1111 11111 1111111 11111111 222222
333333 444444 555555 777777 888888 999999 123qwe qwe123 qwerty1 qwerty12 qwerty123 1q2w3e
1q2w3e4r 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i 1qaz2wsx3edc 1qaz2wsx3edc4rfv zaq12wsx zaq1zaq1 qazwsx
qazwsxedc qweasdzxc 123qweasdzxc qwertyu asdfgh asdfghjkl asdfghjkl123 zxcvbnm zxcvbn mnbvcxz
poiuytrewq asdf asdasd qwer qwerasdf qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm 147258369
159753 159357 741852963 789456123 147852369 123456789a 123456789q a123456 a123456789 aa123456
abc12345 abcd1234 abcdef abcdefg abcdefgh abcdefghijkl abcdefghijklmnopqrstuvwxyz 123abc
123456789012 1234567890123 12345678901234 123456789123456789 1234512345 1234554321 12344321
0123456789 9876543210 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa55word
pass pass123 passwd passpass mypassword newpassword changeme default letmein welcome welcome1
welcome123 admin admin123 administrator root toor login access guest test test123 testing secret
secret123 master master123 trustno1 hello hello123 hellohello sunshine princess football
baseball basketball soccer hockey rugby cricket tennis golf shadow freedom whatever computer
killer summer winter autumn spring flower flowers lovely loveme loveyou iloveu iloveyou1
iloveyou2 iloveme babygirl baby butterfly chocolate cookie cookies cheese hunter ranger buster
tigers maggie ginger pepper bailey thunder mustang ferrari porsche corvette mercedes bmw yamaha
harley starwars startrek matrix superman naruto tigger pokemon batman spiderman pikachu
harrypotter hogwarts gandalf frodo sonic mario zelda minecraft fortnite roblox snoopy scooby
garfield mickey minnie disney barbie blink182 50cent eminem metallica slipknot nirvana beatles
oasis coldplay linkinpark greenday ledzeppelin acdc queen liverpool chelsea arsenal manutd
manchester manchesterunited mancity everton tottenham spurs newcastle leeds leedsunited westham
astonvilla celtic rangers sunderland southampton leicester wolves fulham brighton ashley michael
daniel jessica charlie jordan thomas hannah michelle nicole jennifer matthew andrew joshua
robert william george harry oliver jack james david chris christopher amanda sophie emma lauren
samantha natasha jasmine rebecca charlotte olivia amelia emily chloe megan katie lucy holly
sarah jamie ryan liam luke adam ben benjamin samuel alexander alex anthony justin taylor tyler
brandon kevin steven stephen richard joseph john paul peter mark simon jason jake callum connor
aaron dylan lewis nathan kieran jade georgia bethany abigail angel angels jesus jesuschrist
christ god heaven blessed faith hope family friends friend forever always together monday
tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december london england scotland wales ireland britain
greatbritain unitedkingdom birmingham bristol glasgow cardiff belfast school teacher student
education classroom homework headteacher governor academy college university learning
commissioner commissioning pupilpremium oakfield money dollar rich lucky luck happy smile
qwertyqwerty dragon1 monkey1 shadow1 master1 football1 princess1 sunshine1 superman1 batman1
charlie1 jordan23 michael1 jessica1 ashley1 cheese123 chocolate1 banana apple orange strawberry
pineapple lemon cherry peaches dog cat puppy kitty kitten doggy tiger lion bear wolf eagle
falcon panther horse pony dolphin shark monkeys purple yellow green blue black white silver
golden red pink killer1 hunter2 zxcvbnm123 asdfg qwert 1qazxsw2 1qaz1qaz 2wsx3edc q1w2e3r4
q1w2e3r4t5 q1w2e3r4t5y6 a1b2c3 a1b2c3d4 1a2b3c4d qwer1234 asdf1234 zxcv1234 1234qwer 1234asdf
letmein1 letmein123 welcome2 iloveyou123 trustme nopassword blahblah whatever1 qwerty1234
password2 password12345 test1234 abc123456 abcabc
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
