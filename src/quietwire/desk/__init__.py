"""quietwire.desk"""
