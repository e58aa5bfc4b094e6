/**
 * The most common passwords of public breach lists (lower-case), refused for dashboard
 * users whatever their length. Short ones are listed too, so the list stays useful if the
 * length rule changes; a password that only repeats one of them is refused as well.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '123456789', '12345678', 'password', 'qwerty', '123123', '111111', '12345', '1234567890', '1234567',
  'qwerty123', '000000', '1q2w3e', 'aa12345678', 'abc123', 'password1', '1234', 'qwertyuiop', '123321', 'password123',
  '1q2w3e4r5t', 'iloveyou', '654321', '666666', '987654321', '123', '123456a', 'qwe123', '1q2w3e4r', '7777777',
  '1qaz2wsx', '123qwe', 'zxcvbnm', '121212', 'asdasd', 'a123456', '555555', 'dragon', '112233', '123123123',
  'monkey', '11111111', 'qazwsx', '159753', 'asdfghjkl', '222222', '1234qwer', 'qwerty1', '123654', '123abc',
  'asdfgh', '777777', 'aaaaaa', 'myspace1', '88888888', 'fuckyou', '123456789a', '999999', '888888', 'football',
  'princess', 'sunshine', 'welcome', 'admin', 'admin123', 'letmein', 'shadow', 'master', 'baseball', 'superman',
  'trustno1', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'changeme', 'secret', 'login', 'starwars', 'whatever', 'michael',
  'charlie', 'jennifer', 'hello123', 'welcome1', 'welcome123', 'password12', 'password1234', 'qwertyuiop123', 'abcd1234', 'abcdefg',
  'a1b2c3d4', 'zaq12wsx', 'q1w2e3r4t5y6', '1qaz2wsx3edc', 'woaini', 'woaini1314', '5201314', '1314520', 'asd123', 'zxc123',
  'qq123456', 'wang123456', 'a1234567', 'abc123456', '12345678910', '123456789012', 'iloveyou1', 'administrator', 'root', 'toor',
]);
