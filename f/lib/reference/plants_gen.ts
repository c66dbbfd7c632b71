// Generated from data/plants.csv and data/nambu_plant_codes.json by `npm run wmill:gen`. Do not edit.
export type KospoUnitRef = { gencd: string; hogi: number; plant_name: string; unit_name: string; latitude: number | null; longitude: number | null; capacity_kw: number | null; data_quality: string | null; hourly_valid_from: string | null };
export type KoenUnitRef = { plant_name: string; hogi: number; display_name: string; latitude: number | null; longitude: number | null; capacity_kw: number | null; data_quality: string | null; hourly_valid_from: string | null };
export const KOSPO_UNITS: KospoUnitRef[] = [
 {
  "gencd": "5707",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_화촌주민참여형 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "8760",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천소내 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "9977",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_영월본부 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "9979",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_이천 D(백사면 B) 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.33354,
  "longitude": 127.4804,
  "capacity_kw": 995,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997D",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_남제주소내 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 33.2371,
  "longitude": 126.3417,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997G",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산신항 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.08466,
  "longitude": 128.8265,
  "capacity_kw": 115,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997H",
  "hogi": 2,
  "plant_name": "한국남부발전(주)_하동변전소 태양광발전실적",
  "unit_name": "2 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997J",
  "hogi": 3,
  "plant_name": "한국남부발전(주)_하동보건소 태양광발전실적",
  "unit_name": "3 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997K",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_하동정수장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997L",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_하동하수처리장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997M",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_하동공설운동장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997N",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산복합자재창고 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.0716,
  "longitude": 128.9903,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997Q",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산수처리장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.0716,
  "longitude": 128.9903,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997R",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산운동장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.0716,
  "longitude": 128.9903,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "997S",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천전망대 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "gencd": "997V",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_영월철도부지 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "997Y",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천해수구취수구 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "9984",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_송당리 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "9985",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천 주차장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "9987",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산역선상주차장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.11583,
  "longitude": 129.0429,
  "capacity_kw": 834,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "9988",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천 북측부지 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "9989",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_신인천 1,2단계 주차장 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.5359,
  "longitude": 126.6085,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "AC39",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_용수리 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "B997",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_부산본부 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 35.0716,
  "longitude": 128.9903,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "B997",
  "hogi": 2,
  "plant_name": "한국남부발전(주)_부산본부 태양광발전실적",
  "unit_name": "2 호기",
  "latitude": 35.0716,
  "longitude": 128.9903,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "H997",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_하동본부 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "H997",
  "hogi": 2,
  "plant_name": "한국남부발전(주)_하동본부 태양광발전실적",
  "unit_name": "2 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "H997",
  "hogi": 3,
  "plant_name": "한국남부발전(주)_하동본부 태양광발전실적",
  "unit_name": "3 호기",
  "latitude": null,
  "longitude": null,
  "capacity_kw": null,
  "data_quality": null,
  "hourly_valid_from": null
 },
 {
  "gencd": "S997",
  "hogi": 1,
  "plant_name": "한국남부발전(주)_삼척소내 태양광발전실적",
  "unit_name": "1 호기",
  "latitude": 37.175,
  "longitude": 129.34,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "S997",
  "hogi": 2,
  "plant_name": "한국남부발전(주)_삼척소내 태양광발전실적",
  "unit_name": "2 호기",
  "latitude": 37.175,
  "longitude": 129.34,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "gencd": "S997",
  "hogi": 3,
  "plant_name": "한국남부발전(주)_삼척소내 태양광발전실적",
  "unit_name": "3 호기",
  "latitude": 37.175,
  "longitude": 129.34,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 }
];
export const KOEN_UNITS: KoenUnitRef[] = [
 {
  "plant_name": "광양항세방태양광",
  "hogi": 1,
  "display_name": "광양항세방태양광",
  "latitude": 34.9156,
  "longitude": 127.68,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "영흥태양광 #3",
  "hogi": 1,
  "display_name": "영흥태양광 #3_1",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": "2025-07-01"
 },
 {
  "plant_name": "삼천포태양광#5",
  "hogi": 2,
  "display_name": "삼천포태양광#5_2",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "삼천포태양광",
  "hogi": 3,
  "display_name": "삼천포태양광_3",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "여수태양광",
  "hogi": 1,
  "display_name": "여수태양광",
  "latitude": 34.7604,
  "longitude": 127.6622,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "영흥태양광",
  "hogi": 1,
  "display_name": "영흥태양광_1",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "영동태양광",
  "hogi": 1,
  "display_name": "영동태양광",
  "latitude": 37.7447,
  "longitude": 128.9949,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "고흥만 수상태양광",
  "hogi": 1,
  "display_name": "고흥만 수상태양광",
  "latitude": 34.6437,
  "longitude": 127.2575,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "삼천포태양광#5",
  "hogi": 1,
  "display_name": "삼천포태양광#5_1",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "삼천포태양광",
  "hogi": 4,
  "display_name": "삼천포태양광_4",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "영흥태양광 #3",
  "hogi": 2,
  "display_name": "영흥태양광 #3_2",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": "2025-07-01"
 },
 {
  "plant_name": "탑선태양광",
  "hogi": 1,
  "display_name": "탑선태양광_1",
  "latitude": 35.2733,
  "longitude": 126.7297,
  "capacity_kw": null,
  "data_quality": "전면무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "삼천포태양광",
  "hogi": 1,
  "display_name": "삼천포태양광_1",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "영흥태양광 #3",
  "hogi": 3,
  "display_name": "영흥태양광 #3_3",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": "2025-07-01"
 },
 {
  "plant_name": "두산엔진MG태양광",
  "hogi": 1,
  "display_name": "두산엔진MG태양광",
  "latitude": 35.2119,
  "longitude": 128.6336,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "영흥태양광#5",
  "hogi": 1,
  "display_name": "영흥태양광#5",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "탑선태양광",
  "hogi": 3,
  "display_name": "탑선태양광_3",
  "latitude": 35.2733,
  "longitude": 126.7297,
  "capacity_kw": null,
  "data_quality": "전면무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "삼천포태양광",
  "hogi": 2,
  "display_name": "삼천포태양광_2",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "삼천포태양광#6",
  "hogi": 1,
  "display_name": "삼천포태양광#6",
  "latitude": 34.9454,
  "longitude": 128.068,
  "capacity_kw": null,
  "data_quality": "시간별무효",
  "hourly_valid_from": null
 },
 {
  "plant_name": "경상대태양광",
  "hogi": 1,
  "display_name": "경상대태양광",
  "latitude": 35.1582,
  "longitude": 128.1002,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "구미태양광",
  "hogi": 1,
  "display_name": "구미태양광",
  "latitude": 36.1195,
  "longitude": 128.3446,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "영흥태양광",
  "hogi": 2,
  "display_name": "영흥태양광_2",
  "latitude": 37.2594,
  "longitude": 126.4281,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 },
 {
  "plant_name": "예천태양광",
  "hogi": 1,
  "display_name": "예천태양광",
  "latitude": 36.6469,
  "longitude": 128.4375,
  "capacity_kw": null,
  "data_quality": "정상",
  "hourly_valid_from": "1900-01-01"
 }
];
