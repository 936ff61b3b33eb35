/* seed_text.c — word tables and the makers of names, plates, phones,
 * addresses and customer codes for the demo generator. */
#include "seeds/seed_text.h"

#include <stdio.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Common surnames, most frequent first (repeated ones weigh more). */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
	"叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
	"陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
	"熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
	"贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔",
	"王", "李", "张", "刘", "陈", "杨", "王", "李", "张", "刘",
};

static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉",
	"鹏", "红", "玲", "志", "春", "兰", "海", "林", "波", "宇", "浩", "凯", "欣", "婷",
	"雪", "琳", "晨", "鑫", "斌", "峰", "俊", "荣", "成", "东", "亮", "飞", "燕", "丹",
	"宏", "兵", "松", "晓", "德", "福", "龙", "云", "彬", "倩", "新", "忠", "思", "佳",
};

static const char *const brand_words[] = {
	"顺达", "宏远", "通达", "恒丰", "鑫源", "长江", "瑞通", "金桥", "华宇", "永盛",
	"嘉陵", "渝通", "安捷", "德信", "富民", "广汇", "合力", "佳运", "建兴", "利民",
	"隆鑫", "明珠", "润丰", "三峡", "盛达", "天和", "万家", "祥瑞", "兴业", "远航",
	"中凯", "巴渝", "山城", "缙云", "南山", "朝天", "聚能", "畅通", "捷安", "宝龙",
};

static const char *const company_cities[] = {
	"重庆", "重庆", "重庆", "重庆市", "渝北", "江津", "永川", "合川", "涪陵", "璧山",
};

/* Suffixes per industry, in domain order. */
static const char *const suffix_passenger[] = { "客运有限公司", "公共交通有限公司",
						 "旅游客运有限公司", "长途汽车运输公司" };
static const char *const suffix_logistics[] = { "物流有限公司", "运输有限公司",
						 "货运有限公司", "供应链管理有限公司" };
static const char *const suffix_taxi[] = { "出租汽车有限公司", "出租车公司",
					    "汽车服务有限公司" };
static const char *const suffix_industrial[] = { "矿业有限公司", "机械厂", "建材有限公司",
						  "水泥有限公司", "钢铁有限公司" };
static const char *const suffix_agri[] = { "农机专业合作社", "农业开发有限公司",
					    "果蔬种植专业合作社" };
static const char *const suffix_other[] = { "建筑工程有限公司", "商贸有限公司",
					     "环卫服务有限公司", "工程机械租赁有限公司" };
static const char *const official_units[] = {
	"机关事务管理局", "公安分局", "人民医院", "城市管理局", "交通运输局", "水务局",
	"邮政分公司", "供电公司",
};
static const char *const districts[] = {
	"渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区",
	"大渡口区", "涪陵区", "永川区", "江津区", "合川区", "璧山区",
};
static const char *const roads[] = {
	"解放路", "人民路", "建设路", "中山路", "长江路", "嘉陵路", "工业园路", "民生路",
	"红旗河沟路", "金开大道", "科园一路", "渝州路", "滨江路", "松石大道", "龙溪路",
};
static const char *const titles[] = {
	"总经理", "车队队长", "调度主管", "办公室主任", "采购经理", "财务主管", "站务主管",
	"后勤科长",
};
static const char *const channels[] = { "中石化", "壳牌", "社会加油站", "中海油" };

/* Plate provinces: Chongqing most, then neighbours. */
static const char *const provinces[] = { "渝", "渝", "渝", "渝", "渝", "渝", "渝",
					  "渝", "川", "贵", "陕", "鄂" };
static const char plate_letters[] = "ABCDFGH";
static const char plate_chars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static const char *pick(seed_rng *r, const char *const *table, size_t count)
{
	return table[seed_rng_next(r) % count];
}

void seed_text_person(seed_rng *r, char *out, size_t n)
{
	const char *s = pick(r, surnames, COUNT(surnames));
	const char *g1 = pick(r, given, COUNT(given));
	if (seed_rng_chance(r, 35))
		snprintf(out, n, "%s%s", s, g1);
	else
		snprintf(out, n, "%s%s%s", s, g1, pick(r, given, COUNT(given)));
}

void seed_text_company(seed_rng *r, fc_industry industry, char *out, size_t n)
{
	const char *city = pick(r, company_cities, COUNT(company_cities));
	const char *word = pick(r, brand_words, COUNT(brand_words));
	const char *suffix;

	switch (industry) {
	case INDUSTRY_PASSENGER:
		suffix = pick(r, suffix_passenger, COUNT(suffix_passenger));
		break;
	case INDUSTRY_LOGISTICS:
		suffix = pick(r, suffix_logistics, COUNT(suffix_logistics));
		break;
	case INDUSTRY_TAXI:
		suffix = pick(r, suffix_taxi, COUNT(suffix_taxi));
		break;
	case INDUSTRY_OFFICIAL: {
		const char *district = pick(r, districts, COUNT(districts));
		snprintf(out, n, "重庆市%s%s", district,
			 pick(r, official_units, COUNT(official_units)));
		return;
	}
	case INDUSTRY_INDUSTRIAL:
		suffix = pick(r, suffix_industrial, COUNT(suffix_industrial));
		break;
	case INDUSTRY_AGRI:
		suffix = pick(r, suffix_agri, COUNT(suffix_agri));
		break;
	default:
		suffix = pick(r, suffix_other, COUNT(suffix_other));
		break;
	}
	snprintf(out, n, "%s%s%s", city, word, suffix);
}

void seed_text_plate(seed_rng *r, char *out, size_t n)
{
	char tail[6];
	/* New-energy style letters are rare; most plates are 5 digits or
	 * digits with one or two letters. */
	int letters = seed_rng_chance(r, 70) ? 0 : (int)seed_rng_range(r, 1, 2);
	for (int i = 0; i < 5; i++) {
		if (i < letters)
			tail[i] = plate_chars[10 + seed_rng_next(r) % (sizeof plate_chars - 11)];
		else
			tail[i] = plate_chars[seed_rng_next(r) % 10];
	}
	tail[5] = '\0';
	snprintf(out, n, "%s%c%s", pick(r, provinces, COUNT(provinces)),
		 plate_letters[seed_rng_next(r) % (sizeof plate_letters - 1)], tail);
}

void seed_text_phone(seed_rng *r, char *out, size_t n)
{
	snprintf(out, n, "1%d%09lld", (int)seed_rng_range(r, 3, 9),
		 (long long)seed_rng_range(r, 0, 999999999));
}

void seed_text_address(seed_rng *r, char *out, size_t n)
{
	snprintf(out, n, "重庆市%s%s%d号", pick(r, districts, COUNT(districts)),
		 pick(r, roads, COUNT(roads)), (int)seed_rng_range(r, 1, 399));
}

const char *seed_text_title(seed_rng *r)
{
	return pick(r, titles, COUNT(titles));
}

const char *seed_text_channel(seed_rng *r)
{
	return seed_rng_chance(r, 25) ? pick(r, channels, COUNT(channels)) : NULL;
}

void seed_text_code(const char *station, fc_industry industry, fc_nature nature,
		    long number, char *out, size_t n)
{
	static const char *const letters[INDUSTRY_COUNT] = { "PT", "LG", "TX", "OF",
							     "IN", "AG", "OT" };
	snprintf(out, n, "%.16s-%c-%s-%06ld", station, nature == NATURE_BIG ? 'B' : 'I',
		 letters[industry], number);
}
