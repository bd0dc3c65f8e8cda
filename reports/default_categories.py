"""The default national categories: living inconveniences and incidents (안전신문고's set, roughly)."""

YES_NO = [{"key": "yes", "name": "예", "name_en": "Yes"}, {"key": "no", "name": "아니요", "name_en": "No"}]

DEFAULT_CATEGORIES = [
    {
        "code": "pothole", "name": "도로 파손·포트홀", "name_en": "Road damage / pothole", "group": "도로", "group_en": "Roads",
        "description": "도로 포장이 패이거나 갈라진 곳", "description_en": "Holes or cracks in the road surface",
        "keywords": "pothole,road,asphalt,포트홀,도로", "sla_days": 7,
        "questions": [
            {"code": "size", "datatype": "singlevaluelist", "description": "크기는 어느 정도인가요?", "description_en": "How big is it?", "required": True,
             "values": [{"key": "small", "name": "손바닥 크기", "name_en": "Palm-sized"}, {"key": "medium", "name": "타이어 크기", "name_en": "Tyre-sized"}, {"key": "large", "name": "차로 절반 이상", "name_en": "Half a lane or more"}]},
            {"code": "depth_cm", "datatype": "number", "description": "깊이(cm)", "description_en": "Depth (cm)", "required": False},
        ],
    },
    {
        "code": "streetlight", "name": "가로등 고장", "name_en": "Broken streetlight", "group": "도로", "group_en": "Roads",
        "description": "꺼지거나 깜박이는 가로등·보안등", "description_en": "A streetlight that is out or flickering",
        "keywords": "light,lamp,가로등,보안등", "sla_days": 7,
        "questions": [
            {"code": "pole_number", "datatype": "string", "description": "전주 번호(있으면)", "description_en": "Pole number (if any)", "required": False},
            {"code": "problem", "datatype": "singlevaluelist", "description": "어떤 상태인가요?", "description_en": "What is wrong?", "required": True,
             "values": [{"key": "off", "name": "꺼짐", "name_en": "Off"}, {"key": "flicker", "name": "깜박임", "name_en": "Flickering"}, {"key": "day", "name": "낮에도 켜짐", "name_en": "On during the day"}]},
        ],
    },
    {
        "code": "illegal-dumping", "name": "쓰레기 무단투기", "name_en": "Illegal dumping", "group": "환경", "group_en": "Environment",
        "description": "무단으로 버려진 쓰레기·대형폐기물", "description_en": "Rubbish or bulky waste dumped illegally",
        "keywords": "rubbish,trash,dumping,쓰레기,투기", "sla_days": 7,
        "questions": [
            {"code": "waste_types", "datatype": "multivaluelist", "description": "어떤 쓰레기인가요?", "description_en": "What kind of waste?", "required": True,
             "values": [{"key": "household", "name": "생활쓰레기", "name_en": "Household"}, {"key": "bulky", "name": "대형폐기물", "name_en": "Bulky items"}, {"key": "construction", "name": "건설폐기물", "name_en": "Construction"}, {"key": "hazardous", "name": "유해물질", "name_en": "Hazardous"}]},
        ],
    },
    {
        "code": "illegal-parking", "name": "불법 주정차", "name_en": "Illegal parking", "group": "교통", "group_en": "Traffic",
        "description": "소화전·교차로·횡단보도·인도 등의 불법 주정차", "description_en": "Vehicles parked at hydrants, crossings, corners or on pavements",
        "keywords": "parking,car,주차,주정차", "sla_days": 3,
        "questions": [
            {"code": "plate", "datatype": "string", "description": "차량 번호", "description_en": "Licence plate", "required": False},
            {"code": "seen_at", "datatype": "datetime", "description": "목격 시각", "description_en": "When did you see it?", "required": True},
        ],
    },
    {"code": "graffiti", "name": "낙서", "name_en": "Graffiti", "group": "환경", "group_en": "Environment",
     "description": "공공시설물의 낙서·불법 부착물", "description_en": "Graffiti or fly-posting on public property", "keywords": "graffiti,poster,낙서", "sla_days": 14, "questions": []},
    {
        "code": "sidewalk", "name": "보도 불편·무장애 접근", "name_en": "Unsafe sidewalk / barrier-free access", "group": "도로", "group_en": "Roads",
        "description": "파손되거나 막힌 보도, 휠체어·유모차 통행 장애", "description_en": "Broken or blocked pavements; obstacles for wheelchairs and prams",
        "keywords": "sidewalk,pavement,wheelchair,보도,휠체어,턱", "sla_days": 7,
        "questions": [
            {"code": "blocks_wheelchair", "datatype": "singlevaluelist", "description": "휠체어가 지나갈 수 없나요?", "description_en": "Does it block a wheelchair?", "required": True, "values": YES_NO},
            {"code": "step_height_cm", "datatype": "number", "description": "턱 높이(cm)", "description_en": "Step height (cm)", "required": False},
        ],
    },
    {"code": "traffic-signal", "name": "신호등 고장", "name_en": "Traffic signal fault", "group": "교통", "group_en": "Traffic",
     "description": "작동하지 않거나 잘못 작동하는 신호등", "description_en": "Traffic or pedestrian lights not working", "keywords": "signal,traffic light,신호등", "sla_days": 2,
     "questions": [{"code": "signal_type", "datatype": "singlevaluelist", "description": "신호등 종류", "description_en": "Which signal?", "required": True,
                    "values": [{"key": "vehicle", "name": "차량 신호등", "name_en": "Vehicle"}, {"key": "pedestrian", "name": "보행 신호등", "name_en": "Pedestrian"}]}]},
    {"code": "fallen-tree", "name": "쓰러진 나무", "name_en": "Fallen tree", "group": "공원·녹지", "group_en": "Parks and green",
     "description": "쓰러지거나 부러진 가로수·나뭇가지", "description_en": "Fallen trees or broken branches", "keywords": "tree,branch,나무,가로수", "sla_days": 3, "questions": []},
    {"code": "flooding", "name": "침수·배수 불량", "name_en": "Flooding / drainage", "group": "안전", "group_en": "Safety",
     "description": "고인 물, 막힌 빗물받이, 침수", "description_en": "Standing water, blocked drains, flooding", "keywords": "flood,drain,침수,배수,빗물받이", "sla_days": 3,
     "questions": [{"code": "blocked_drain", "datatype": "singlevaluelist", "description": "빗물받이가 막혔나요?", "description_en": "Is a drain blocked?", "required": False, "values": YES_NO}]},
    {"code": "safety-hazard", "name": "안전 위험", "name_en": "Safety hazard", "group": "안전", "group_en": "Safety",
     "description": "추락·붕괴·낙하물 등 생활 속 위험 요소", "description_en": "Risk of falls, collapse or falling objects", "keywords": "danger,hazard,위험,안전", "sla_days": 3,
     "questions": [{"code": "urgent", "datatype": "singlevaluelist", "description": "지금 당장 위험한가요?", "description_en": "Is it dangerous right now?", "required": True, "values": YES_NO},
                   {"code": "details", "datatype": "text", "description": "위험 상황 설명", "description_en": "Describe the danger", "required": False}]},
    {"code": "noise", "name": "소음", "name_en": "Noise", "group": "환경", "group_en": "Environment",
     "description": "공사장·확성기 등 생활 소음", "description_en": "Construction, loudspeaker or other noise", "keywords": "noise,소음", "sla_days": 7,
     "questions": [{"code": "hours", "datatype": "string", "description": "주로 발생하는 시간대", "description_en": "When does it happen?", "required": False}]},
    {"code": "abandoned-vehicle", "name": "방치 차량", "name_en": "Abandoned vehicle", "group": "교통", "group_en": "Traffic",
     "description": "장기간 방치된 자동차·오토바이", "description_en": "Cars or motorbikes left for a long time", "keywords": "abandoned,car,방치,차량", "sla_days": 14,
     "questions": [{"code": "plate", "datatype": "string", "description": "차량 번호", "description_en": "Licence plate", "required": False}]},
    {"code": "park-facility", "name": "공원 시설 파손", "name_en": "Park facility damage", "group": "공원·녹지", "group_en": "Parks and green",
     "description": "놀이터·운동기구·벤치 등 공원 시설 파손", "description_en": "Damaged playgrounds, exercise equipment or benches", "keywords": "park,playground,bench,공원,놀이터", "sla_days": 7, "questions": []},
    {"code": "road-sign", "name": "도로 표지판 파손", "name_en": "Damaged road sign", "group": "교통", "group_en": "Traffic",
     "description": "쓰러지거나 보이지 않는 표지판", "description_en": "Fallen, bent or unreadable road signs", "keywords": "sign,표지판", "sla_days": 7, "questions": []},
    {"code": "stray-animal", "name": "유기·위험 동물", "name_en": "Stray or dangerous animal", "group": "안전", "group_en": "Safety",
     "description": "유기 동물, 로드킬, 위험 동물", "description_en": "Stray animals, roadkill, dangerous animals", "keywords": "animal,dog,동물,로드킬", "sla_days": 2, "questions": []},
    {"code": "harassment-risk", "name": "여성·아동 안전 취약지역", "name_en": "Unsafe spot for women and children", "group": "안전", "group_en": "Safety",
     "description": "어둡거나 인적이 드문 위험 지역 (공개 위치는 약 100m 단위로 표시)", "description_en": "Dark or isolated places that feel unsafe (shown publicly only to about 100 m)",
     "keywords": "unsafe,dark,cctv,안심,어두운", "sla_days": 7, "is_sensitive": True, "questions": []},
]
