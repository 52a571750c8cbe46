int wr_json_placeholder;
