// Generated from data/asos_stations.csv by `npm run wmill:gen`. Do not edit.
export type AsosStationRef = { stn_id: number; station_name: string; office: string | null; latitude: number; longitude: number; has_solar_sensor: boolean };
export const ASOS_STATIONS: AsosStationRef[] = [
 {
  "stn_id": 90,
  "station_name": "속초",
  "office": "강원지방기상청",
  "latitude": 38.25085,
  "longitude": 128.56473,
  "has_solar_sensor": true
 },
 {
  "stn_id": 93,
  "station_name": "북춘천",
  "office": "춘천기상대",
  "latitude": 37.94738,
  "longitude": 127.75443,
  "has_solar_sensor": true
 },
 {
  "stn_id": 95,
  "station_name": "철원",
  "office": "강원지방기상청",
  "latitude": 38.14787,
  "longitude": 127.3042,
  "has_solar_sensor": true
 },
 {
  "stn_id": 98,
  "station_name": "동두천",
  "office": "수도권기상청",
  "latitude": 37.90188,
  "longitude": 127.0607,
  "has_solar_sensor": true
 },
 {
  "stn_id": 99,
  "station_name": "파주",
  "office": "수도권기상청",
  "latitude": 37.88589,
  "longitude": 126.76648,
  "has_solar_sensor": true
 },
 {
  "stn_id": 100,
  "station_name": "대관령",
  "office": "강원지방기상청",
  "latitude": 37.67713,
  "longitude": 128.71834,
  "has_solar_sensor": true
 },
 {
  "stn_id": 101,
  "station_name": "춘천",
  "office": "춘천기상대",
  "latitude": 37.90262,
  "longitude": 127.7357,
  "has_solar_sensor": true
 },
 {
  "stn_id": 102,
  "station_name": "백령도",
  "office": "수도권기상청",
  "latitude": 37.97396,
  "longitude": 124.71237,
  "has_solar_sensor": true
 },
 {
  "stn_id": 104,
  "station_name": "북강릉",
  "office": "강원지방기상청",
  "latitude": 37.80456,
  "longitude": 128.85535,
  "has_solar_sensor": true
 },
 {
  "stn_id": 105,
  "station_name": "강릉",
  "office": "강원지방기상청",
  "latitude": 37.75147,
  "longitude": 128.89099,
  "has_solar_sensor": true
 },
 {
  "stn_id": 106,
  "station_name": "동해",
  "office": "강원지방기상청",
  "latitude": 37.50709,
  "longitude": 129.12433,
  "has_solar_sensor": true
 },
 {
  "stn_id": 108,
  "station_name": "서울",
  "office": "수도권기상청",
  "latitude": 37.57142,
  "longitude": 126.9658,
  "has_solar_sensor": true
 },
 {
  "stn_id": 112,
  "station_name": "인천",
  "office": "수도권기상청",
  "latitude": 37.47772,
  "longitude": 126.6249,
  "has_solar_sensor": true
 },
 {
  "stn_id": 114,
  "station_name": "원주",
  "office": "강원지방기상청",
  "latitude": 37.33749,
  "longitude": 127.94659,
  "has_solar_sensor": true
 },
 {
  "stn_id": 115,
  "station_name": "울릉도",
  "office": "대구지방기상청",
  "latitude": 37.48129,
  "longitude": 130.89863,
  "has_solar_sensor": true
 },
 {
  "stn_id": 119,
  "station_name": "수원",
  "office": "수도권기상청",
  "latitude": 37.25746,
  "longitude": 126.983,
  "has_solar_sensor": true
 },
 {
  "stn_id": 121,
  "station_name": "영월",
  "office": "강원지방기상청",
  "latitude": 37.18126,
  "longitude": 128.45743,
  "has_solar_sensor": true
 },
 {
  "stn_id": 127,
  "station_name": "충주",
  "office": "청주기상지청",
  "latitude": 36.97045,
  "longitude": 127.9525,
  "has_solar_sensor": true
 },
 {
  "stn_id": 129,
  "station_name": "서산",
  "office": "홍성기상대",
  "latitude": 36.77658,
  "longitude": 126.4939,
  "has_solar_sensor": true
 },
 {
  "stn_id": 130,
  "station_name": "울진",
  "office": "안동기상대",
  "latitude": 36.99176,
  "longitude": 129.41278,
  "has_solar_sensor": false
 },
 {
  "stn_id": 131,
  "station_name": "청주",
  "office": "청주기상지청",
  "latitude": 36.63924,
  "longitude": 127.44066,
  "has_solar_sensor": true
 },
 {
  "stn_id": 133,
  "station_name": "대전",
  "office": "대전지방기상청",
  "latitude": 36.37198,
  "longitude": 127.37211,
  "has_solar_sensor": true
 },
 {
  "stn_id": 135,
  "station_name": "추풍령",
  "office": "청주기상지청",
  "latitude": 36.22025,
  "longitude": 127.99458,
  "has_solar_sensor": true
 },
 {
  "stn_id": 136,
  "station_name": "안동",
  "office": "안동기상대",
  "latitude": 36.57293,
  "longitude": 128.70733,
  "has_solar_sensor": true
 },
 {
  "stn_id": 137,
  "station_name": "상주",
  "office": "대구지방기상청",
  "latitude": 36.40837,
  "longitude": 128.15741,
  "has_solar_sensor": true
 },
 {
  "stn_id": 138,
  "station_name": "포항",
  "office": "대구지방기상청",
  "latitude": 36.03201,
  "longitude": 129.38002,
  "has_solar_sensor": true
 },
 {
  "stn_id": 140,
  "station_name": "군산",
  "office": "전주기상지청",
  "latitude": 36.0053,
  "longitude": 126.76135,
  "has_solar_sensor": false
 },
 {
  "stn_id": 143,
  "station_name": "대구",
  "office": "대구지방기상청",
  "latitude": 35.87797,
  "longitude": 128.65296,
  "has_solar_sensor": true
 },
 {
  "stn_id": 146,
  "station_name": "전주",
  "office": "전주기상지청",
  "latitude": 35.84092,
  "longitude": 127.11718,
  "has_solar_sensor": true
 },
 {
  "stn_id": 152,
  "station_name": "울산",
  "office": "울산기상대",
  "latitude": 35.58237,
  "longitude": 129.33469,
  "has_solar_sensor": true
 },
 {
  "stn_id": 155,
  "station_name": "창원",
  "office": "창원기상대",
  "latitude": 35.17019,
  "longitude": 128.57282,
  "has_solar_sensor": true
 },
 {
  "stn_id": 156,
  "station_name": "광주",
  "office": "광주지방기상청",
  "latitude": 35.17294,
  "longitude": 126.89156,
  "has_solar_sensor": true
 },
 {
  "stn_id": 159,
  "station_name": "부산",
  "office": "부산지방기상청",
  "latitude": 35.10468,
  "longitude": 129.03203,
  "has_solar_sensor": true
 },
 {
  "stn_id": 162,
  "station_name": "통영",
  "office": "부산지방기상청",
  "latitude": 34.84541,
  "longitude": 128.43561,
  "has_solar_sensor": true
 },
 {
  "stn_id": 165,
  "station_name": "목포",
  "office": "목포기상대",
  "latitude": 34.81732,
  "longitude": 126.38151,
  "has_solar_sensor": true
 },
 {
  "stn_id": 168,
  "station_name": "여수",
  "office": "광주지방기상청",
  "latitude": 34.73929,
  "longitude": 127.74063,
  "has_solar_sensor": true
 },
 {
  "stn_id": 169,
  "station_name": "흑산도",
  "office": "광주지방기상청",
  "latitude": 34.68719,
  "longitude": 125.45105,
  "has_solar_sensor": true
 },
 {
  "stn_id": 170,
  "station_name": "완도",
  "office": "목포기상대",
  "latitude": 34.3959,
  "longitude": 126.70182,
  "has_solar_sensor": true
 },
 {
  "stn_id": 172,
  "station_name": "고창",
  "office": "전주기상지청",
  "latitude": 35.34824,
  "longitude": 126.599,
  "has_solar_sensor": true
 },
 {
  "stn_id": 174,
  "station_name": "순천",
  "office": "광주지방기상청",
  "latitude": 35.0204,
  "longitude": 127.3694,
  "has_solar_sensor": false
 },
 {
  "stn_id": 177,
  "station_name": "홍성",
  "office": "홍성기상대",
  "latitude": 36.65759,
  "longitude": 126.68772,
  "has_solar_sensor": true
 },
 {
  "stn_id": 184,
  "station_name": "제주",
  "office": "제주지방기상청",
  "latitude": 33.51411,
  "longitude": 126.52969,
  "has_solar_sensor": true
 },
 {
  "stn_id": 185,
  "station_name": "고산",
  "office": "제주지방기상청",
  "latitude": 33.29382,
  "longitude": 126.16283,
  "has_solar_sensor": true
 },
 {
  "stn_id": 188,
  "station_name": "성산",
  "office": "제주지방기상청",
  "latitude": 33.38677,
  "longitude": 126.8802,
  "has_solar_sensor": false
 },
 {
  "stn_id": 189,
  "station_name": "서귀포",
  "office": "제주지방기상청",
  "latitude": 33.24616,
  "longitude": 126.5653,
  "has_solar_sensor": true
 },
 {
  "stn_id": 192,
  "station_name": "진주",
  "office": "창원기상대",
  "latitude": 35.16378,
  "longitude": 128.04004,
  "has_solar_sensor": true
 },
 {
  "stn_id": 201,
  "station_name": "강화",
  "office": "인천기상대",
  "latitude": 37.70739,
  "longitude": 126.44634,
  "has_solar_sensor": false
 },
 {
  "stn_id": 202,
  "station_name": "양평",
  "office": "수도권기상청",
  "latitude": 37.48863,
  "longitude": 127.49446,
  "has_solar_sensor": false
 },
 {
  "stn_id": 203,
  "station_name": "이천",
  "office": "수도권기상청",
  "latitude": 37.26399,
  "longitude": 127.48421,
  "has_solar_sensor": false
 },
 {
  "stn_id": 211,
  "station_name": "인제",
  "office": "강원지방기상청",
  "latitude": 38.05986,
  "longitude": 128.16714,
  "has_solar_sensor": false
 },
 {
  "stn_id": 212,
  "station_name": "홍천",
  "office": "춘천기상대",
  "latitude": 37.6836,
  "longitude": 127.88043,
  "has_solar_sensor": false
 },
 {
  "stn_id": 216,
  "station_name": "태백",
  "office": "강원지방기상청",
  "latitude": 37.17038,
  "longitude": 128.98929,
  "has_solar_sensor": true
 },
 {
  "stn_id": 217,
  "station_name": "정선군",
  "office": "강원지방기상청",
  "latitude": 37.38149,
  "longitude": 128.6459,
  "has_solar_sensor": false
 },
 {
  "stn_id": 221,
  "station_name": "제천",
  "office": "청주기상지청",
  "latitude": 37.15928,
  "longitude": 128.19433,
  "has_solar_sensor": false
 },
 {
  "stn_id": 226,
  "station_name": "보은",
  "office": "청주기상지청",
  "latitude": 36.48761,
  "longitude": 127.73415,
  "has_solar_sensor": false
 },
 {
  "stn_id": 232,
  "station_name": "천안",
  "office": "대전지방기상청",
  "latitude": 36.76217,
  "longitude": 127.29282,
  "has_solar_sensor": false
 },
 {
  "stn_id": 235,
  "station_name": "보령",
  "office": "대전지방기상청",
  "latitude": 36.32724,
  "longitude": 126.55744,
  "has_solar_sensor": true
 },
 {
  "stn_id": 236,
  "station_name": "부여",
  "office": "대전지방기상청",
  "latitude": 36.27242,
  "longitude": 126.92079,
  "has_solar_sensor": false
 },
 {
  "stn_id": 238,
  "station_name": "금산",
  "office": "대전지방기상청",
  "latitude": 36.10563,
  "longitude": 127.48175,
  "has_solar_sensor": false
 },
 {
  "stn_id": 239,
  "station_name": "세종",
  "office": "대전지방기상청",
  "latitude": 36.48522,
  "longitude": 127.24438,
  "has_solar_sensor": true
 },
 {
  "stn_id": 243,
  "station_name": "부안",
  "office": "전주기상지청",
  "latitude": 35.72961,
  "longitude": 126.71657,
  "has_solar_sensor": false
 },
 {
  "stn_id": 244,
  "station_name": "임실",
  "office": "전주기상지청",
  "latitude": 35.61203,
  "longitude": 127.28556,
  "has_solar_sensor": false
 },
 {
  "stn_id": 245,
  "station_name": "정읍",
  "office": "전주기상지청",
  "latitude": 35.56337,
  "longitude": 126.83904,
  "has_solar_sensor": true
 },
 {
  "stn_id": 247,
  "station_name": "남원",
  "office": "전주기상지청",
  "latitude": 35.4213,
  "longitude": 127.39652,
  "has_solar_sensor": false
 },
 {
  "stn_id": 248,
  "station_name": "장수",
  "office": "전주기상지청",
  "latitude": 35.65696,
  "longitude": 127.52031,
  "has_solar_sensor": false
 },
 {
  "stn_id": 251,
  "station_name": "고창군",
  "office": "전주기상지청",
  "latitude": 35.42661,
  "longitude": 126.697,
  "has_solar_sensor": true
 },
 {
  "stn_id": 252,
  "station_name": "영광군",
  "office": "광주지방기상청",
  "latitude": 35.28366,
  "longitude": 126.47784,
  "has_solar_sensor": true
 },
 {
  "stn_id": 253,
  "station_name": "김해시",
  "office": "부산지방기상청",
  "latitude": 35.22981,
  "longitude": 128.89075,
  "has_solar_sensor": true
 },
 {
  "stn_id": 254,
  "station_name": "순창군",
  "office": "전주기상지청",
  "latitude": 35.37131,
  "longitude": 127.1286,
  "has_solar_sensor": true
 },
 {
  "stn_id": 255,
  "station_name": "북창원",
  "office": "창원기상대",
  "latitude": 35.22655,
  "longitude": 128.6726,
  "has_solar_sensor": true
 },
 {
  "stn_id": 257,
  "station_name": "양산시",
  "office": "울산기상대",
  "latitude": 35.30737,
  "longitude": 129.02009,
  "has_solar_sensor": true
 },
 {
  "stn_id": 258,
  "station_name": "보성군",
  "office": "광주지방기상청",
  "latitude": 34.76335,
  "longitude": 127.21226,
  "has_solar_sensor": true
 },
 {
  "stn_id": 259,
  "station_name": "강진군",
  "office": "목포기상대",
  "latitude": 34.6289,
  "longitude": 126.76715,
  "has_solar_sensor": true
 },
 {
  "stn_id": 260,
  "station_name": "장흥",
  "office": "목포기상대",
  "latitude": 34.68886,
  "longitude": 126.91951,
  "has_solar_sensor": false
 },
 {
  "stn_id": 261,
  "station_name": "해남",
  "office": "목포기상대",
  "latitude": 34.55375,
  "longitude": 126.56907,
  "has_solar_sensor": false
 },
 {
  "stn_id": 262,
  "station_name": "고흥",
  "office": "광주지방기상청",
  "latitude": 34.61826,
  "longitude": 127.27572,
  "has_solar_sensor": true
 },
 {
  "stn_id": 263,
  "station_name": "의령군",
  "office": "창원기상대",
  "latitude": 35.32258,
  "longitude": 128.28812,
  "has_solar_sensor": true
 },
 {
  "stn_id": 264,
  "station_name": "함양군",
  "office": "창원기상대",
  "latitude": 35.51138,
  "longitude": 127.74538,
  "has_solar_sensor": true
 },
 {
  "stn_id": 266,
  "station_name": "광양시",
  "office": "광주지방기상청",
  "latitude": 34.9434,
  "longitude": 127.6914,
  "has_solar_sensor": true
 },
 {
  "stn_id": 268,
  "station_name": "진도군",
  "office": "목포기상대",
  "latitude": 34.47296,
  "longitude": 126.25846,
  "has_solar_sensor": false
 },
 {
  "stn_id": 271,
  "station_name": "봉화",
  "office": "대구지방기상청",
  "latitude": 36.94361,
  "longitude": 128.91449,
  "has_solar_sensor": false
 },
 {
  "stn_id": 272,
  "station_name": "영주",
  "office": "안동기상대",
  "latitude": 36.87183,
  "longitude": 128.51687,
  "has_solar_sensor": false
 },
 {
  "stn_id": 273,
  "station_name": "문경",
  "office": "안동기상대",
  "latitude": 36.62727,
  "longitude": 128.14879,
  "has_solar_sensor": false
 },
 {
  "stn_id": 276,
  "station_name": "청송군",
  "office": "대구지방기상청",
  "latitude": 36.4351,
  "longitude": 129.04005,
  "has_solar_sensor": true
 },
 {
  "stn_id": 277,
  "station_name": "영덕",
  "office": "대구지방기상청",
  "latitude": 36.53337,
  "longitude": 129.40926,
  "has_solar_sensor": false
 },
 {
  "stn_id": 278,
  "station_name": "의성",
  "office": "대구지방기상청",
  "latitude": 36.3561,
  "longitude": 128.68864,
  "has_solar_sensor": false
 },
 {
  "stn_id": 279,
  "station_name": "구미",
  "office": "대구지방기상청",
  "latitude": 36.13055,
  "longitude": 128.32055,
  "has_solar_sensor": true
 },
 {
  "stn_id": 281,
  "station_name": "영천",
  "office": "대구지방기상청",
  "latitude": 35.97742,
  "longitude": 128.9514,
  "has_solar_sensor": false
 },
 {
  "stn_id": 283,
  "station_name": "경주시",
  "office": "대구지방기상청",
  "latitude": 35.8174,
  "longitude": 129.2009,
  "has_solar_sensor": true
 },
 {
  "stn_id": 284,
  "station_name": "거창",
  "office": "울산기상대",
  "latitude": 35.66739,
  "longitude": 127.9099,
  "has_solar_sensor": true
 },
 {
  "stn_id": 285,
  "station_name": "합천",
  "office": "울산기상대",
  "latitude": 35.56505,
  "longitude": 128.16994,
  "has_solar_sensor": false
 },
 {
  "stn_id": 288,
  "station_name": "밀양",
  "office": "울산기상대",
  "latitude": 35.49147,
  "longitude": 128.74412,
  "has_solar_sensor": true
 },
 {
  "stn_id": 289,
  "station_name": "산청",
  "office": "창원기상대",
  "latitude": 35.413,
  "longitude": 127.8791,
  "has_solar_sensor": false
 },
 {
  "stn_id": 294,
  "station_name": "거제",
  "office": "부산지방기상청",
  "latitude": 34.88818,
  "longitude": 128.60459,
  "has_solar_sensor": false
 },
 {
  "stn_id": 295,
  "station_name": "남해",
  "office": "부산지방기상청",
  "latitude": 34.81662,
  "longitude": 127.92641,
  "has_solar_sensor": false
 }
];
